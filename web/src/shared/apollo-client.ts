import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { isTerminalClose } from '../../../infrastructure/sessions/close-codes';
import { liveConnectionState, updateLiveConnection } from './live-connection';

/**
 * Apollo Client for Warden on this origin: queries and mutations over HTTP, subscriptions
 * over graphql-ws. graphql-ws retries 4403 by default; Warden's 4403 means "blocked" and a
 * retry is refused again, so the socket stops for good on the codes of the shared
 * close-code table (4401, 4403, 4429) instead of reconnecting in a loop.
 */
export function createWardenApollo(token: string): ApolloClient {
  const httpLink = new HttpLink({ uri: '/graphql', headers: { authorization: `Bearer ${token}` } });
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
  const wsClient = createClient({
    url: wsUrl,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 10,
    shouldRetry: (event) => !isTerminalClose(event),
    on: {
      connecting: () =>
        updateLiveConnection({ phase: 'connecting', attempts: liveConnectionState().attempts + 1 }),
      connected: () => updateLiveConnection({ phase: 'connected' }),
      closed: (event) => {
        const code = (event as { code?: number }).code ?? null;
        updateLiveConnection({ phase: isTerminalClose(event) ? 'ended' : 'retrying', closeCode: code });
      },
    },
  });
  const link = ApolloLink.split(
    (operation) => isSubscriptionOperation(operation.query),
    new GraphQLWsLink(wsClient),
    httpLink,
  );
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // A member's standing, whichever query or subscription brought it.
        AccountStatus: { keyFields: ['userId'] },
      },
    }),
  });
}
