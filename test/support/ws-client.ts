import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A graphql-ws client speaking the raw protocol, as graphql-ws's own tests do, so close
 * codes and message order are asserted exactly as they travel.
 */
export class RawGraphQLWs {
  readonly messages: any[] = [];
  readonly closed: Promise<Closed>;
  private readonly waiters: { match: (message: any) => boolean; resolve: (message: any) => void }[] = [];
  /** Everything received, messages and the close, in arrival order. */
  readonly timeline: string[] = [];

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.timeline.push(`close:${code}`);
        resolve({ code, reason: reason.toString() });
      }),
    );
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      this.messages.push(message);
      this.timeline.push(`${message.type}${message.id ? `:${message.id}` : ''}`);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** Opens the socket; does not send connection_init. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<RawGraphQLWs> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    const client = new RawGraphQLWs(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    });
    return client;
  }

  /** Opens, sends connection_init with the token and waits for ack or close. */
  static async connect(url: string, token: string | null): Promise<{ client: RawGraphQLWs; acked: boolean }> {
    const client = await RawGraphQLWs.open(url);
    client.send({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} });
    const outcome = await Promise.race([
      client.next((message) => message.type === 'connection_ack').then(() => true),
      client.closed.then(() => false),
    ]);
    return { client, acked: outcome };
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  /** Resolves with the first message (already received or coming) that matches. */
  next(match: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms: ${this.timeline.join(' ')}`)), timeoutMs);
      // A wait that lost a race (the socket closed first) must not keep the run alive.
      timer.unref();
      this.waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** Waits for the close, failing after `timeoutMs`. */
  waitClosed(timeoutMs = 10_000): Promise<Closed> {
    return Promise.race([
      this.closed,
      new Promise<Closed>((_, reject) =>
        setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close(1000);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

export const ACCOUNT_STATUS_SUBSCRIPTION = `subscription Status($userId: ID) {
  accountStatus(userId: $userId) { userId state reason userMessage expiresAt changedAt }
}`;

export const MESSAGE_ADDED_SUBSCRIPTION = `subscription { messageAdded { id text sender { id } recipient { id } } }`;

/** Waits until `probe` holds, polling; for counts that settle asynchronously. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
