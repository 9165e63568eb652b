import { WEBHOOK_CONCURRENCY } from '../../infrastructure/config/limits';
import { createLogger } from '../../infrastructure/logging/logger';
import type { ClaimedDelivery, MongoWebhookQueue } from '../../infrastructure/webhooks/mongo-webhook-queue';
import { WebhookDispatcher } from '../../infrastructure/webhooks/webhook-dispatcher';

/** A queue whose claims hang until released: a store too slow to answer. */
function hangingQueue() {
  const hanging: ((value: ClaimedDelivery | null) => void)[] = [];
  const queue = {
    claimNext: () => new Promise<ClaimedDelivery | null>((resolve) => hanging.push(resolve)),
  } as unknown as MongoWebhookQueue;
  return { queue, hanging };
}

afterEach(() => jest.useRealTimers());

test('claims given up on stay counted: no new round adds claims to a store that has not answered them', async () => {
  jest.useFakeTimers();
  const { queue, hanging } = hangingQueue();
  const dispatcher = new WebhookDispatcher({
    queue,
    url: 'http://127.0.0.1:9/unused',
    secret: 'secret',
    timing: { maxAttempts: 3, retryBaseMs: 10, timeoutMs: 100 },
    clock: { now: () => new Date() },
    log: createLogger('test'),
  });

  const first = dispatcher.drain();
  expect(hanging).toHaveLength(WEBHOOK_CONCURRENCY);
  // Past the step bound every worker gives up its round.
  await jest.advanceTimersByTimeAsync(60_000);
  await first;

  // Polls while those claims still run in the store start nothing.
  await dispatcher.drain();
  await dispatcher.drain();
  expect(hanging).toHaveLength(WEBHOOK_CONCURRENCY);

  // Once the store has answered them all, the next poll claims again.
  for (const release of hanging.splice(0)) release(null);
  await jest.advanceTimersByTimeAsync(0);
  const next = dispatcher.drain();
  expect(hanging).toHaveLength(WEBHOOK_CONCURRENCY);
  for (const release of hanging.splice(0)) release(null);
  await next;
  await dispatcher.stop(0);
});
