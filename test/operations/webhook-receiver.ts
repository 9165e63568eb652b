import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  body: string;
  json: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

/** What the receiver does with one request: answer with a status, or never answer. */
export type Behaviour = number | 'hang';

/**
 * A real HTTP receiver on loopback. `behave` decides each request's fate from the
 * number of requests of the same event id seen so far (1 for the first); every request
 * is recorded, answered or not.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  behave: (event: ReceivedWebhook['json'], tryNumber: number) => Behaviour = () => 200;
  private readonly hanging = new Set<() => void>();
  private server!: Server;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: ReceivedWebhook['json'];
        try {
          json = JSON.parse(body) as ReceivedWebhook['json'];
        } catch {
          // A sender killed mid-request leaves a cut body: not a delivery.
          res.writeHead(400).end();
          return;
        }
        receiver.received.push({ headers: req.headers, body, json });
        const tryNumber = receiver.received.filter((request) => request.json.id === json.id).length;
        const behaviour = receiver.behave(json, tryNumber);
        if (behaviour === 'hang') {
          receiver.hanging.add(() => res.destroy());
          return;
        }
        res.writeHead(behaviour, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', () => resolve()));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/warden`;
  }

  /** Requests received for one event. */
  of(eventId: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.json.id === eventId);
  }

  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.json.type === type);
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
