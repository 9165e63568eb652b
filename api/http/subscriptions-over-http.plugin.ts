import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';

/** A subscription was sent over HTTP: BAD_REQUEST, HTTP 400. */
export class WebSocketOnlyError extends Error {
  constructor() {
    super('Subscriptions are served over WebSocket only (graphql-ws on /graphql)');
    this.name = 'WebSocketOnlyError';
  }
}

/**
 * Refuses subscription operations over HTTP before anything runs: graphql-js would run
 * them as a query whose resolver has no socket to listen on.
 */
export function subscriptionsOverHttpPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          const error = new WebSocketOnlyError();
          throw new GraphQLError(error.message, { originalError: error, extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        },
      };
    },
  };
}
