import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context';
import type { RateLimitGuard } from './rate-limit-guard';
import { rateLimitedGraphQLError } from './rate-limited-graphql-error';

/**
 * HTTP side of the rate limits. Member mutations are counted once the operation is known
 * and valid, before anything runs (a refused operation changes nothing and answers 429);
 * FORBIDDEN errors are reported as offences once the response's errors are known. The
 * response to the offence that triggers an automated block is sent after the block is
 * saved.
 */
export function rateLimitPlugin(guard: RateLimitGuard): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (!operation) return;
          const refused = await guard.checkOperation(contextValue, document, operation, 'http');
          if (refused) throw rateLimitedGraphQLError(refused, contextValue.correlationId);
        },
        async didEncounterErrors({ contextValue, errors }) {
          await guard.reportErrors(contextValue, errors);
        },
      };
    },
  };
}
