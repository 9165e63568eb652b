import type { Page, PageRequest } from '../shared/page';
import { webhookErrors, type DeadLetter, type WebhookDeadLetters } from '../webhooks/webhook-delivery';
import { authorize } from '../user/role-table';
import type { Traced, Viewer } from './viewer';

export interface ReplayWebhookCommand extends Traced {
  eventId: string;
}

/** Staff read the webhook deliveries that ran out of tries, newest first. */
export const listWebhookDeadLetters =
  (deps: { webhooks: WebhookDeadLetters }) =>
  async (viewer: Viewer, page: PageRequest): Promise<Page<DeadLetter>> => {
    authorize(viewer, 'READ_WEBHOOK_DEAD_LETTERS');
    return deps.webhooks.listDead(page);
  };

/** Staff send a dead-lettered delivery again, with its original id and body. */
export const replayWebhook =
  (deps: { webhooks: WebhookDeadLetters }) =>
  async (command: ReplayWebhookCommand): Promise<DeadLetter> => {
    authorize(command.viewer, 'REPLAY_WEBHOOK');
    const replayed = await deps.webhooks.replay(command.eventId);
    if (!replayed) throw webhookErrors.notFound();
    return replayed;
  };
