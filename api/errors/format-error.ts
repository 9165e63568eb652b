import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { classifyError } from './classify-error';

/**
 * Apollo's `formatError`: every error leaves with a contract code, and an unexpected one
 * only with a generic message and the correlation id its log line carries.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const wrapper = error instanceof GraphQLError ? error : undefined;
  const original = wrapper?.originalError ?? error;
  const classified = classifyError(original, wrapper);
  const correlationId = formatted.extensions?.correlationId;
  const message =
    classified.expected || typeof correlationId !== 'string'
      ? classified.message
      : `${classified.message} (correlation id ${correlationId})`;
  return {
    message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: classified.code,
      ...classified.extensions,
      ...(typeof correlationId === 'string' ? { correlationId } : {}),
    },
  };
}
