import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RateLimitedError } from '../../domain/moderation/rate-limit';
import { ErrorCode } from '../errors/error-code';

/**
 * RATE_LIMITED as GraphQL sees it. Over HTTP Apollo turns `extensions.http` into status
 * 429 and a `Retry-After` header (and drops it from the body); classifyError reads the
 * original error, so `extensions.retryAfter` and `extensions.limit` reach the client on
 * both transports.
 */
export function rateLimitedGraphQLError(error: RateLimitedError, correlationId?: string): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: error.retryAfterSeconds,
      limit: error.limit,
      ...(correlationId ? { correlationId } : {}),
      http: { status: 429, headers: new HeaderMap([['retry-after', String(error.retryAfterSeconds)]]) },
    },
  });
}
