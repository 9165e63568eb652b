import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';

/** The limits that bound the work one caller can have in flight (docs/threat-model.md). */
export type OperationLimitName =
  | 'CONCURRENT_OPERATIONS_PER_MEMBER'
  | 'CONCURRENT_OPERATIONS_PER_IP'
  | 'OPERATION_TIMEOUT'
  | 'MAX_RESPONSE_BYTES'
  | 'MAX_SUBSCRIPTIONS_PER_SOCKET';

/** What a refusal of each limit answers: code and HTTP status. */
const ANSWER = {
  CONCURRENT_OPERATIONS_PER_MEMBER: { code: 'RATE_LIMITED', status: 429 },
  CONCURRENT_OPERATIONS_PER_IP: { code: 'RATE_LIMITED', status: 429 },
  OPERATION_TIMEOUT: { code: 'TIMEOUT', status: 503 },
  MAX_RESPONSE_BYTES: { code: 'BAD_USER_INPUT', status: 400 },
  MAX_SUBSCRIPTIONS_PER_SOCKET: { code: 'BAD_USER_INPUT', status: 400 },
} as const satisfies Record<OperationLimitName, { code: string; status: number }>;

/** A concurrency limit frees up as soon as one of the caller's operations ends. */
const CONCURRENCY_RETRY_AFTER_SECONDS = 1;

/** One of the operation limits refused an operation. */
export class OperationLimitError extends Error {
  constructor(
    readonly limit: OperationLimitName,
    message: string,
  ) {
    super(message);
    this.name = 'OperationLimitError';
  }

  get code(): (typeof ANSWER)[OperationLimitName]['code'] {
    return ANSWER[this.limit].code;
  }

  get httpStatus(): number {
    return ANSWER[this.limit].status;
  }

  /** Seconds to wait before retrying, for the concurrency limits; null for the others. */
  get retryAfterSeconds(): number | null {
    return this.code === 'RATE_LIMITED' ? CONCURRENCY_RETRY_AFTER_SECONDS : null;
  }
}

/** The refusal as GraphQL sees it; Apollo turns `extensions.http` into the status and Retry-After. */
export function operationLimitGraphQLError(error: OperationLimitError, correlationId?: string): GraphQLError {
  const retryAfter = error.retryAfterSeconds;
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: error.code,
      limit: error.limit,
      ...(retryAfter === null ? {} : { retryAfter }),
      ...(correlationId ? { correlationId } : {}),
      http: {
        status: error.httpStatus,
        headers: new HeaderMap(retryAfter === null ? [] : [['retry-after', String(retryAfter)]]),
      },
    },
  });
}
