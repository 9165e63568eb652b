import { PermissionError } from '../shared/domain-error';
import type { Actor } from '../shared/domain-event';
import type { BlockDuration } from './block';
import { roleOf, ROLES, type Role } from './role';

/** Everything only staff may do. */
export const STAFF_OPERATIONS = [
  /** user(id), another member's block, history, standing and live sessions. */
  'READ_MEMBER',
  'READ_MODERATION_LOG',
  'WATCH_MODERATION_EVENTS',
  /** accountStatus(userId) of another member. */
  'WATCH_ACCOUNT_STATUS',
  'READ_APPEALS',
  /** The webhook deliveries given up on (docs/webhooks.md), and sending one again. */
  'READ_WEBHOOK_DEAD_LETTERS',
  'REPLAY_WEBHOOK',
  'RESTRICT',
  'LIFT_RESTRICTION',
  'BLOCK_DAYS_7',
  'BLOCK_DAYS_30',
  'BLOCK_DAYS_90',
  'BLOCK_INDEFINITE',
  'UNBLOCK',
  'FORCE_DISCONNECT',
  'DECIDE_APPEAL',
] as const;
export type StaffOperation = (typeof STAFF_OPERATIONS)[number];

const ANYONE: readonly Role[] = ROLES;
const MEMBERS: readonly Role[] = ['MEMBER'];
const BELOW_ADMIN: readonly Role[] = ['MEMBER', 'MODERATOR'];
const STAFF_READ = { MODERATOR: ANYONE, ADMIN: ANYONE } as const;
const STAFF_ACT = { MODERATOR: MEMBERS, ADMIN: BELOW_ADMIN } as const;
const ADMIN_ACT = { ADMIN: BELOW_ADMIN } as const;

/**
 * Who may do what to whom: operation → the actor's role → the roles of the members it may
 * be done to. A role missing from an operation may not do it at all; acting on a member
 * needs a role above theirs (nobody acts on an admin), reading does not.
 */
export const ROLE_TABLE: Readonly<Record<StaffOperation, Readonly<Partial<Record<Role, readonly Role[]>>>>> = {
  READ_MEMBER: STAFF_READ,
  READ_MODERATION_LOG: STAFF_READ,
  WATCH_MODERATION_EVENTS: STAFF_READ,
  WATCH_ACCOUNT_STATUS: STAFF_READ,
  READ_APPEALS: STAFF_READ,
  READ_WEBHOOK_DEAD_LETTERS: STAFF_READ,
  REPLAY_WEBHOOK: STAFF_READ,
  RESTRICT: STAFF_ACT,
  LIFT_RESTRICTION: STAFF_ACT,
  BLOCK_DAYS_7: STAFF_ACT,
  BLOCK_DAYS_30: STAFF_ACT,
  BLOCK_DAYS_90: ADMIN_ACT,
  BLOCK_INDEFINITE: ADMIN_ACT,
  UNBLOCK: STAFF_ACT,
  FORCE_DISCONNECT: STAFF_ACT,
  DECIDE_APPEAL: ADMIN_ACT,
};

/** Operations that change a member: nobody does them to themself, whatever their role. */
const CHANGES: ReadonlySet<StaffOperation> = new Set([
  'RESTRICT',
  'LIFT_RESTRICTION',
  'BLOCK_DAYS_7',
  'BLOCK_DAYS_30',
  'BLOCK_DAYS_90',
  'BLOCK_INDEFINITE',
  'UNBLOCK',
  'FORCE_DISCONNECT',
  'DECIDE_APPEAL',
]);

export function blockOperation(duration: BlockDuration): StaffOperation {
  return `BLOCK_${duration}`;
}

/** The member an operation is done to. */
export interface OperationTarget {
  id: string;
  role: Role;
}

export const roleErrors = {
  staffOnly: () => new PermissionError('USER.STAFF_ONLY', 'Only moderators and administrators may do this'),
  adminOnly: () => new PermissionError('USER.ADMIN_ONLY', 'Only administrators may do this'),
  self: () => new PermissionError('USER.SELF_ACTION', 'Staff cannot do this to themselves'),
  adminTarget: () => new PermissionError('USER.ADMIN_TARGET', 'Nobody can do this to an administrator'),
  outranked: () => new PermissionError('USER.TARGET_RANK', 'Only a higher role can do this to this member'),
};

/**
 * Throws PermissionError unless the actor may do `operation` (to `target`, when given).
 * Without a target only the actor's role is checked: use cases call it so before any
 * lookup (a member must not learn which ids exist), then again with the target.
 */
export function authorize(actor: Actor, operation: StaffOperation, target?: OperationTarget): void {
  const rule = ROLE_TABLE[operation];
  const targets = rule[roleOf(actor)];
  if (!targets) throw rule.MODERATOR ? roleErrors.staffOnly() : roleErrors.adminOnly();
  if (!target) return;
  if (CHANGES.has(operation) && actor.userId === target.id) throw roleErrors.self();
  if (!targets.includes(target.role)) throw target.role === 'ADMIN' ? roleErrors.adminTarget() : roleErrors.outranked();
}

/** Whether `authorize` would let it through. */
export function may(actor: Actor, operation: StaffOperation, target?: OperationTarget): boolean {
  try {
    authorize(actor, operation, target);
    return true;
  } catch (error) {
    if (error instanceof PermissionError) return false;
    throw error;
  }
}
