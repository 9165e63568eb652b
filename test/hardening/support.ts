import { signToken, type TokenOptions } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';

let next = 0;

/** A fresh subject per call, so tests of one file never share a member. */
export function uniqueSub(prefix: string): string {
  return `${prefix}-${process.pid}-${++next}`;
}

/** Opens an authenticated socket; fails the test when it is not acknowledged. */
export async function openSocket(url: string, token: string): Promise<RawGraphQLWs> {
  const { client, acked } = await RawGraphQLWs.connect(url, token);
  if (!acked) throw new Error(`socket refused: ${client.timeline.join(' ')}`);
  return client;
}

/** Sends one operation on `client` and resolves with its first `next` or `error` message. */
export async function wsOperation(
  client: RawGraphQLWs,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ type: 'next' | 'error'; payload: any }> {
  const id = `op-${++next}`;
  client.subscribe(id, query, variables);
  return client.next((message) => message.id === id && (message.type === 'next' || message.type === 'error'));
}

/** The codes of a `next` or `error` message's errors (none: []). */
export function wsCodes(message: { type: string; payload: any }): string[] {
  const errors = message.type === 'error' ? message.payload : (message.payload.errors ?? []);
  return errors.map((error: { extensions?: { code?: string } }) => error.extensions?.code ?? '?');
}

export const token = (options: TokenOptions) => signToken(options);
