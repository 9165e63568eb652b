import { GraphQLError } from 'graphql';
import { RateLimitedError } from '../../domain/moderation/rate-limit';
import { DomainError, type ErrorKind } from '../../domain/shared/domain-error';
import { AccountBlockedError, ActionRestrictedError } from '../../domain/user/user.errors';
import { PersistenceUnavailableError } from '../../infrastructure/mongo/mongo-errors';
import { WebSocketOnlyError } from '../http/subscriptions-over-http.plugin';
import { OperationLimitError } from '../limits/operation-limit-error';
import { ErrorCode, UnreachableCaseError } from './error-code';

export interface ClassifiedError {
  code: ErrorCode;
  message: string;
  extensions: Record<string, unknown>;
  /** False for bugs and surprises: their message is masked and they are logged. */
  expected: boolean;
}

const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; nothing was changed. Please retry.';

/** Codes Apollo and graphql-js raise for a bad request, all of them the client's fault. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
// Apollo's own BAD_REQUEST (an empty query, a batch) stays BAD_USER_INPUT, as it always was;
// BAD_REQUEST is Warden's answer to a subscription over HTTP alone.
const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.BAD_REQUEST));

/**
 * The one mapping from what went wrong to the contract's `extensions.code`, shared by
 * HTTP and WebSocket. `error` is the original error (resolver errors unwrapped).
 */
export function classifyError(error: unknown, wrapper?: GraphQLError): ClassifiedError {
  if (error instanceof AccountBlockedError) {
    return {
      code: ErrorCode.ACCOUNT_BLOCKED,
      message: error.message,
      extensions: {
        action: error.action,
        reason: error.reason,
        userMessage: error.userMessage,
        expiresAt: error.expiresAt?.toISOString() ?? null,
      },
      expected: true,
    };
  }
  if (error instanceof ActionRestrictedError) {
    return {
      code: ErrorCode.ACTION_RESTRICTED,
      message: error.message,
      extensions: {
        action: error.action,
        restrictionId: error.restrictionId,
        reason: error.reason,
        userMessage: error.userMessage,
        expiresAt: error.expiresAt?.toISOString() ?? null,
        ...(error.category !== null ? { category: error.category } : {}),
      },
      expected: true,
    };
  }
  if (error instanceof DomainError) {
    const extensions: Record<string, unknown> = { reasonCode: error.code };
    if ('field' in error && error.field) extensions.field = error.field;
    if (error.kind === 'CONFLICT') return unexpected();
    return { code: codeOfKind(error.kind), message: error.message, extensions, expected: true };
  }
  if (error instanceof PersistenceUnavailableError) {
    return { code: ErrorCode.SERVICE_UNAVAILABLE, message: UNAVAILABLE_MESSAGE, extensions: {}, expected: true };
  }
  if (error instanceof RateLimitedError) {
    return {
      code: ErrorCode.RATE_LIMITED,
      message: error.message,
      extensions: { retryAfter: error.retryAfterSeconds, limit: error.limit },
      expected: true,
    };
  }
  if (error instanceof WebSocketOnlyError) {
    return { code: ErrorCode.BAD_REQUEST, message: error.message, extensions: {}, expected: true };
  }
  if (error instanceof OperationLimitError) {
    const retryAfter = error.retryAfterSeconds;
    return {
      code: error.code,
      message: error.message,
      extensions: { limit: error.limit, ...(retryAfter === null ? {} : { retryAfter }) },
      expected: true,
    };
  }
  const graphQLError = error instanceof GraphQLError ? error : wrapper && !wrapper.originalError ? wrapper : null;
  if (graphQLError) {
    const code = String(graphQLError.extensions?.code ?? '');
    if (CONTRACT_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      // A RATE_LIMITED without its RateLimitedError still tells the client when to retry.
      const { retryAfter, limit } = graphQLError.extensions ?? {};
      const extensions = code === ErrorCode.RATE_LIMITED ? { retryAfter, limit } : {};
      return { code: code as ErrorCode, message: graphQLError.message, extensions, expected: true };
    }
    // graphql-js reports parse, validation and variable errors without a code and
    // without a path; an execution error without a code (a path) is our bug.
    if (REQUEST_ERROR_CODES.has(code) || (code === '' && !graphQLError.path)) {
      return { code: ErrorCode.BAD_USER_INPUT, message: graphQLError.message, extensions: {}, expected: true };
    }
  }
  return unexpected();
}

function unexpected(): ClassifiedError {
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error', extensions: {}, expected: false };
}

function codeOfKind(kind: ErrorKind): ErrorCode {
  switch (kind) {
    case 'FORBIDDEN':
      return ErrorCode.FORBIDDEN;
    case 'ACCOUNT_BLOCKED':
      return ErrorCode.ACCOUNT_BLOCKED;
    case 'ACTION_RESTRICTED':
      return ErrorCode.ACTION_RESTRICTED;
    case 'BAD_USER_INPUT':
      return ErrorCode.BAD_USER_INPUT;
    case 'NOT_FOUND':
      return ErrorCode.NOT_FOUND;
    case 'CONFLICT':
      return ErrorCode.INTERNAL_SERVER_ERROR;
    default:
      throw new UnreachableCaseError(kind);
  }
}
