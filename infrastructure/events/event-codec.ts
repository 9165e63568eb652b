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
const RESTRICTION_DATES = ['createdAt', 'expiresAt'] as const;
const CAPABILITY_DATES = ['until'] as const;

/**
 * JSON turns dates into strings; this turns them back, leaving everything else alone.
 * A signal from before restrictions existed has no restrictions nor capabilities: empty.
 */
export function reviveAccountStatusSignal(raw: unknown): AccountStatusSignal {
  const signal = raw as AccountStatusSignal;
  const status = reviveDates(signal.status, STATUS_DATES);
  status.restrictions = ((status.restrictions as unknown[] | undefined) ?? []).map((item) =>
    reviveDates(item, RESTRICTION_DATES),
  );
  status.capabilities = ((status.capabilities as unknown[] | undefined) ?? []).map((item) =>
    reviveDates(item, CAPABILITY_DATES),
  );
  return { ...signal, status: status as unknown as AccountStatus };
}

function reviveDates(value: unknown, keys: readonly string[]): Record<string, unknown> {
  const copy = { ...(value as Record<string, unknown>) };
  for (const key of keys) {
    const date = copy[key];
    copy[key] = typeof date === 'string' ? new Date(date) : (date ?? null);
  }
  return copy;
}

export function reviveMessage(raw: unknown): MessageProps {
  const message = raw as MessageProps & { sentAt: string | Date };
  return { ...message, sentAt: new Date(message.sentAt) };
}
