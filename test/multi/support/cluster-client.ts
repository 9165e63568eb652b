import { randomBytes } from 'node:crypto';
import { BLOCK_USER, SEND_MESSAGE, UNBLOCK_USER, blockInput } from '../../api/operations';
import { postGraphQL, type GraphQLResponse } from '../../support/graphql-http';
import { signToken } from '../../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, MESSAGE_ADDED_SUBSCRIPTION, RawGraphQLWs } from '../../support/ws-client';

/** Waits for anything cross-process: generous, since the machine may be loaded. */
export const WAIT_MS = 15_000;

export { ACCOUNT_STATUS_SUBSCRIPTION, MESSAGE_ADDED_SUBSCRIPTION, BLOCK_USER, UNBLOCK_USER, SEND_MESSAGE, blockInput };

/** Something with a GraphQL URL: an instance process. */
export interface Endpoint {
  readonly url: string;
}

/** Runs one operation over HTTP on `on` as `sub`. */
export async function as(
  on: Endpoint,
  sub: string,
  query: string,
  variables: Record<string, unknown> = {},
  admin = false,
): Promise<GraphQLResponse> {
  return postGraphQL(on.url, query, variables, await signToken({ sub, admin }));
}

/** The member's id, provisioning it through `on`. */
export async function idOf(on: Endpoint, sub: string, admin = false): Promise<string> {
  const response = await as(on, sub, '{ me { id } }', {}, admin);
  const id = response.data?.me?.id;
  if (typeof id !== 'string') throw new Error(`cannot provision ${sub}: ${JSON.stringify(response)}`);
  return id;
}

/** A member of this file, with a unique `sub`. */
export interface Member {
  sub: string;
  id: string;
}

export function uniqueSub(label: string): string {
  return `${label}-${randomBytes(3).toString('hex')}`;
}

export async function newMember(on: Endpoint, label: string, admin = false): Promise<Member> {
  const sub = uniqueSub(label);
  return { sub, id: await idOf(on, sub, admin) };
}

/** The sockets a test opened; terminate them all in afterEach/afterAll. */
export class SocketBag {
  private readonly open: RawGraphQLWs[] = [];

  /** Connects as `sub` and expects the ack. */
  async connect(on: Endpoint, sub: string, admin = false): Promise<RawGraphQLWs> {
    const { client, acked } = await this.attempt(on, sub, admin);
    if (!acked) {
      const closed = await client.waitClosed(1_000).catch(() => null);
      throw new Error(`${sub} was not acknowledged on ${on.url}: closed ${JSON.stringify(closed)}`);
    }
    return client;
  }

  /** Connects as `sub`, acknowledged or not. */
  async attempt(on: Endpoint, sub: string, admin = false): Promise<{ client: RawGraphQLWs; acked: boolean }> {
    const token = await signToken({ sub, admin });
    const client = await RawGraphQLWs.open(on.url);
    this.open.push(client);
    client.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    return { client, acked: await ackedOrClosed(client) };
  }

  terminateAll(): void {
    for (const client of this.open.splice(0)) client.terminate();
  }
}

/**
 * Resolves true on connection_ack, false on close. (RawGraphQLWs.connect leaves a 10 s
 * timer behind when the socket closes first, which keeps jest alive after the run.)
 */
function ackedOrClosed(client: RawGraphQLWs, timeoutMs = WAIT_MS): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const done = (acked: boolean | Error) => {
      clearTimeout(timer);
      client.socket.off('message', onMessage);
      if (acked instanceof Error) reject(acked);
      else resolve(acked);
    };
    // RawGraphQLWs's own listener runs first, so `messages` already holds this message.
    const onMessage = () => {
      if (client.messages.some((message) => message.type === 'connection_ack')) done(true);
    };
    const timer = setTimeout(() => done(new Error(`no connection_ack nor close in ${timeoutMs} ms`)), timeoutMs);
    client.socket.on('message', onMessage);
    void client.closed.then(() => done(false));
  });
}

/**
 * Proves that every subscription a socket sent before now is live on its server. A
 * subscription's registration cannot be observed from another process, so each socket
 * subscribes `messageAdded` as id `probe` *after* its other subscriptions, then one message
 * is sent to each recipient and every socket must receive it on `probe`. The earlier
 * subscriptions went through the same steps (one MongoDB read) and were sent first, so
 * they are registered long before a message has been written, published and fanned out.
 */
export async function probeLive(
  via: Endpoint,
  sockets: { client: RawGraphQLWs; recipient: Member }[],
  probeId = 'probe',
): Promise<void> {
  for (const { client } of sockets) client.subscribe(probeId, MESSAGE_ADDED_SUBSCRIPTION);
  const recipients = new Map(sockets.map(({ recipient }) => [recipient.id, recipient]));
  const texts = new Map<string, string>();
  for (const recipient of recipients.values()) texts.set(recipient.id, `probe ${randomBytes(4).toString('hex')}`);
  // A socket whose probe subscription is not registered yet misses the message: resend
  // until every socket has seen one (each send is a new message; any of them will do).
  const deadline = Date.now() + WAIT_MS;
  const pending = () =>
    sockets.filter(({ client, recipient }) => !client.messages.some((message) => isProbe(message, probeId, texts.get(recipient.id)!)));
  while (pending().length > 0) {
    if (Date.now() > deadline) {
      throw new Error(`probe not received: ${pending().map(({ client }) => client.timeline.join(' ')).join(' | ')}`);
    }
    for (const recipient of new Set(pending().map(({ recipient }) => recipient))) {
      const sent = await as(via, 'prober', SEND_MESSAGE, { input: { recipientId: recipient.id, text: texts.get(recipient.id) } });
      if (sent.errors) throw new Error(`probe message refused: ${JSON.stringify(sent.errors)}`);
    }
    const until = Date.now() + 1_000;
    while (pending().length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isProbe(message: any, probeId: string, text: string): boolean {
  return message.id === probeId && message.type === 'next' && message.payload?.data?.messageAdded?.text === text;
}

/** The `next` payloads of subscription `id`. */
export function eventsOf(client: RawGraphQLWs, id: string): any[] {
  return client.messages.filter((message) => message.id === id && message.type === 'next').map((message) => message.payload);
}

/**
 * Asserts the contract's order on one socket: each listed subscription got a BLOCKED event
 * and the 4403 close came after all of them, as the very last thing on the socket.
 */
export function blockedThenClosed(client: RawGraphQLWs, statusIds: string[]): { ok: boolean; why: string } {
  const { timeline } = client;
  const closeAt = timeline.indexOf('close:4403');
  if (closeAt === -1) return { ok: false, why: `no close:4403 in ${timeline.join(' ')}` };
  if (closeAt !== timeline.length - 1) return { ok: false, why: `something after the close: ${timeline.join(' ')}` };
  for (const id of statusIds) {
    const at = timeline.indexOf(`next:${id}`);
    if (at === -1 || at > closeAt) return { ok: false, why: `no next:${id} before the close: ${timeline.join(' ')}` };
  }
  return { ok: true, why: '' };
}

/**
 * Records the moment each socket closes, from now on (waitClosed resolves on a later
 * microtask, so this is the honest arrival time of the close).
 */
export function recordCloseTimes(clients: RawGraphQLWs[]): Map<RawGraphQLWs, number> {
  const times = new Map<RawGraphQLWs, number>();
  for (const client of clients) void client.closed.then(() => times.set(client, Date.now()));
  return times;
}

export { RawGraphQLWs };
