import type { AccountStatus } from '../../domain/user/account-status';
import type { MessageProps } from '../../domain/messaging/message.aggregate';

/** What travels on the account-status channel. */
export interface AccountStatusSignal {
  status: AccountStatus;
  eventId: string;
  type: string;
  correlationId: string;
  actorId: string | null;
}

const STATUS_DATES = ['blockedAt', 'expiresAt', 'changedAt'] as const;

/** JSON turns dates into strings; this turns them back, leaving everything else alone. */
export function reviveAccountStatusSignal(raw: unknown): AccountStatusSignal {
  const signal = raw as AccountStatusSignal;
  const status = { ...signal.status } as unknown as Record<string, unknown>;
  for (const key of STATUS_DATES) {
    const value = status[key];
    status[key] = typeof value === 'string' ? new Date(value) : (value ?? null);
  }
  return { ...signal, status: status as unknown as AccountStatus };
}

export function reviveMessage(raw: unknown): MessageProps {
  const message = raw as MessageProps & { sentAt: string | Date };
  return { ...message, sentAt: new Date(message.sentAt) };
}
