import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { WardenMetrics } from '../../infrastructure/metrics/warden-metrics';
import type { GraphQLContext } from '../context';

/**
 * Times every GraphQL request over HTTP by operation and counts the errors it sends by
 * code. The operation label is the operation's first root field (`blockUser`, `me`), not
 * the client-chosen operation name: the schema bounds the first, nothing bounds the second.
 * A request that never resolved an operation (bad JSON, parse or validation error) is
 * `invalid`.
 */
export function httpMetricsPlugin(metrics: WardenMetrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async contextCreationDidFail({ error }) {
      metrics.refusal(codeOf((error as { extensions?: Record<string, unknown> }).extensions));
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operation = 'invalid';
      return {
        async didResolveOperation({ operation: resolved }) {
          operation = rootFieldOf(resolved) ?? 'invalid';
        },
        async willSendResponse({ response }) {
          metrics.httpRequest(operation, Number(process.hrtime.bigint() - started) / 1e9);
          const errors: readonly GraphQLFormattedError[] =
            response.body.kind === 'single'
              ? (response.body.singleResult.errors ?? [])
              : (response.body.initialResult.errors ?? []);
          for (const error of errors) metrics.refusal(codeOf(error.extensions));
        },
      };
    },
  };
}

export function rootFieldOf(operation: OperationDefinitionNode | undefined): string | null {
  const first = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD ? first.name.value : null;
}

function codeOf(extensions: Readonly<Record<string, unknown>> | undefined): string {
  const code = extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}
