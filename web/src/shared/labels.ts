import type { BlockDuration, BlockReason, ModerationEventType, UserAction } from '../generated/graphql';

/** How the apps name the schema's enums to people. */
export const REASON_LABEL: Record<BlockReason, string> = {
  LATE_RETURN: 'Late return',
  ITEM_DAMAGE: 'Item damage',
  POLICY_VIOLATION: 'Policy violation',
  INAPPROPRIATE_BEHAVIOR: 'Inappropriate behaviour',
  OTHER: 'Other',
};

export const DURATION_LABEL: Record<BlockDuration, string> = {
  DAYS_7: '7 days',
  DAYS_30: '30 days',
  DAYS_90: '90 days',
  INDEFINITE: 'Indefinitely',
};

export const ACTION_LABEL: Record<UserAction, string> = {
  CREATE_LISTING: 'Create listings',
  REQUEST_RESERVATION: 'Request reservations',
  ACCEPT_RESERVATION: 'Accept reservation requests',
  SEND_MESSAGE: 'Send messages',
};

export const EVENT_LABEL: Record<ModerationEventType, string> = {
  USER_BLOCKED: 'Blocked',
  USER_UNBLOCKED: 'Unblocked',
  USER_RESTRICTED: 'Restricted',
  RESTRICTION_LIFTED: 'Restriction lifted',
  RESTRICTION_EXPIRED: 'Restriction expired',
  BLOCK_EXPIRED: 'Block expired',
  AUTOMATED_BLOCK: 'Automated block',
  FORCE_DISCONNECT: 'Force-disconnect',
  APPEAL_FILED: 'Appeal filed',
  APPEAL_DECIDED: 'Appeal decided',
  ACTION_REFUSED: 'Action refused',
  CONNECTION_REFUSED: 'Connection refused',
  ADMIN_OPERATION_REFUSED: 'Staff operation refused',
  RATE_LIMITED: 'Rate limited',
};

export const EVENT_TYPES = Object.keys(EVENT_LABEL) as ModerationEventType[];
export const REASONS = Object.keys(REASON_LABEL) as BlockReason[];

export const USER_ACTIONS = Object.keys(ACTION_LABEL) as UserAction[];
export const DURATIONS = Object.keys(DURATION_LABEL) as BlockDuration[];
