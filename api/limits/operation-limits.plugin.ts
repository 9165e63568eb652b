import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context';
import { formatError } from '../errors/format-error';
import { OperationLimitError, operationLimitGraphQLError } from './operation-limit-error';
import type { OperationLimits, OperationRun } from './operation-limits';

/**
 * HTTP side of the operation limits. A query or mutation takes its slots once it is known
 * and valid, runs under its deadline, and gives the slots back as the response leaves; a
 * result that timed out or is too large is replaced, whole, by the refusal.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let run: OperationRun | null = null;
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!operation || operation.operation === 'subscription') return;
          const { viewer, clientIp, correlationId } = contextValue;
          const begun = limits.begin({ userId: viewer.userId, ip: clientIp, correlationId });
          if (begun instanceof OperationLimitError) throw operationLimitGraphQLError(begun, correlationId);
          run = begun;
          contextValue.deadline = begun.deadline;
        },
        async willSendResponse({ response, contextValue }) {
          if (!run) return;
          const body = response.body;
          const refused = limits.finish(run, body.kind === 'single' ? body.singleResult : null);
          run = null;
          if (!refused || body.kind !== 'single') return;
          const error = operationLimitGraphQLError(refused, contextValue.correlationId);
          body.singleResult = { errors: [formatError(error.toJSON(), error)] };
          response.http.status = refused.httpStatus;
          const retryAfter = refused.retryAfterSeconds;
          if (retryAfter !== null) response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}
