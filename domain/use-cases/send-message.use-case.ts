import type { Clock } from '../shared/clock';
import type { EventPublisher } from '../ports/event-publisher';
import { Message } from '../messaging/message.aggregate';
import type { MessagingRepository } from '../messaging/messaging.repository';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { loadViewer } from './load-viewer';
import type { Traced } from './viewer';

export interface SendMessageCommand extends Traced {
  recipientId: string;
  text: string;
  /** The message's id, reserved by an idempotent request (use-cases/idempotent.ts). */
  id?: string;
}

export const sendMessage =
  (deps: {
    users: PersonalUserRepository;
    messaging: MessagingRepository;
    events: EventPublisher;
    clock: Clock;
    onPublishFailure?: (error: unknown) => void;
  }) =>
  async (command: SendMessageCommand): Promise<Message> => {
    const sender = await loadViewer(deps.users, command.viewer);
    sender.validateUserCanPerformAction('SEND_MESSAGE');
    const found = command.recipientId === sender.id ? sender : await deps.users.findById(command.recipientId);
    const message = Message.send(sender, { id: command.recipientId, found }, command.text, deps.clock, command.id);
    await deps.messaging.insertMessage(message);
    // Live delivery is best effort; the message is stored and listed either way.
    await deps.events.publish([message.sentEvent(command.correlationId)]).catch((error: unknown) => deps.onPublishFailure?.(error));
    return message;
  };
