import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { isTerminalClose as isTerminal, TERMINAL_CLOSE_CODES } from '../infrastructure/sessions/close-codes';

export { TERMINAL_CLOSE_CODES };

export interface WardenClientOptions extends Partial<ClientOptions> {
  /** ws://host:port/graphql */
  url: string;
  /** Returns the current bearer token (called on every (re)connect). */
  token: () => string | Promise<string>;
  /** Told once when the server ends the session for good (4401, 4403, 4429, 4008). */
  onTerminalClose?: (event: { code: number; reason: string }) => void;
}

/**
 * A graphql-ws client for Warden. graphql-ws retries 4403 by default (it treats it like
 * a transient close); Warden's 4403 means "blocked", so this client stops instead and
 * reports it. Other closes (network loss, 1001 on deploys, 4000 force-disconnect) are
 * retried with graphql-ws's back-off.
 */
export function createWardenWsClient(options: WardenClientOptions): Client {
  const { url, token, onTerminalClose, on, ...rest } = options;
  let reported = false;
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 10,
    connectionParams: async () => ({ authorization: `Bearer ${await token()}` }),
    shouldRetry: (event) => !isTerminal(event),
    ...rest,
    on: {
      ...on,
      closed: (event) => {
        on?.closed?.(event);
        if (!reported && isTerminal(event)) {
          reported = true;
          const { code, reason } = event as { code: number; reason: string };
          onTerminalClose?.({ code, reason });
        }
      },
    },
  });
}
