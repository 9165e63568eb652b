import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../infrastructure/logging/logger';
import type { GraphQLContext } from '../context';
import { recordRefusals } from './audit-refusals';
import { classifyError } from './classify-error';

/**
 * Stamps each error with the request's correlation id (so formatError can show it) and
 * logs the unexpected ones, with the stack, under that same id. Refusals (ACCOUNT_BLOCKED,
 * FORBIDDEN) go to the audit trail.
 */
export function errorLoggingPlugin(log: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const correlationId = contextValue?.correlationId;
          recordRefusals(contextValue, errors, operationName);
          for (const error of errors) {
            if (correlationId) (error.extensions as Record<string, unknown>).correlationId = correlationId;
            const classified = classifyError(error.originalError ?? error, error);
            if (!classified.expected) {
              log.error(
                {
                  correlationId,
                  userId: contextValue?.viewer?.userId,
                  action: operationName ?? 'graphql',
                  err: error.originalError ?? error,
                },
                'unexpected error',
              );
            }
          }
        },
      };
    },
  };
}
