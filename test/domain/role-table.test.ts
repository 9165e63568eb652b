import { PermissionError } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/domain-event';
import { BLOCK_DURATIONS } from '../../domain/user/block';
import { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { ROLES, roleOf, type Role } from '../../domain/user/role';
import { authorize, blockOperation, may, ROLE_TABLE, STAFF_OPERATIONS, type StaffOperation } from '../../domain/user/role-table';
import { IDS, blockCommand, thrownBy, userProps } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';

// The rules as the issue states them, written independently of ROLE_TABLE: the table
// must agree with them for every role × operation × target role.
const MODERATOR_MAY: ReadonlySet<StaffOperation> = new Set([
  'READ_MEMBER',
  'READ_MODERATION_LOG',
  'WATCH_MODERATION_EVENTS',
  'WATCH_ACCOUNT_STATUS',
  'READ_APPEALS',
  'READ_WEBHOOK_DEAD_LETTERS',
  'REPLAY_WEBHOOK',
  'RESTRICT',
  'LIFT_RESTRICTION',
  'BLOCK_DAYS_7',
  'BLOCK_DAYS_30',
  'UNBLOCK',
  'FORCE_DISCONNECT',
]);
const READS: ReadonlySet<StaffOperation> = new Set([
  'READ_MEMBER',
  'READ_MODERATION_LOG',
  'WATCH_MODERATION_EVENTS',
  'WATCH_ACCOUNT_STATUS',
  'READ_APPEALS',
  // Staff, and no member is acted on.
  'READ_WEBHOOK_DEAD_LETTERS',
  'REPLAY_WEBHOOK',
]);
const RANK: Record<Role, number> = { MEMBER: 0, MODERATOR: 1, ADMIN: 2 };

function expectedCode(actor: Role, operation: StaffOperation, target: Role | 'SELF'): string | null {
  if (actor === 'MEMBER') return MODERATOR_MAY.has(operation) ? 'USER.STAFF_ONLY' : 'USER.ADMIN_ONLY';
  if (actor === 'MODERATOR' && !MODERATOR_MAY.has(operation)) return 'USER.ADMIN_ONLY';
  if (READS.has(operation)) return null;
  if (target === 'SELF') return 'USER.SELF_ACTION';
  if (RANK[actor] > RANK[target]) return null;
  return target === 'ADMIN' ? 'USER.ADMIN_TARGET' : 'USER.TARGET_RANK';
}

const actorOf = (role: Role): Actor => ({ userId: IDS.admin, isAdmin: role === 'ADMIN', role });

describe('the role table: every role × operation × target role', () => {
  const targets = [...ROLES, 'SELF'] as const;
  const cases = ROLES.flatMap((actor) =>
    STAFF_OPERATIONS.flatMap((operation) => targets.map((target) => [actor, operation, target] as const)),
  );

  test('the table covers every operation, and nothing else', () => {
    expect(Object.keys(ROLE_TABLE).sort()).toEqual([...STAFF_OPERATIONS].sort());
    expect(cases).toHaveLength(ROLES.length * STAFF_OPERATIONS.length * (ROLES.length + 1));
  });

  test.each(cases)('%s doing %s to %s', (actor, operation, target) => {
    const expected = expectedCode(actor, operation, target);
    const subject = target === 'SELF' ? { id: IDS.admin, role: actor } : { id: IDS.member, role: target };
    const run = () => authorize(actorOf(actor), operation, subject);
    if (expected === null) {
      expect(run).not.toThrow();
      expect(may(actorOf(actor), operation, subject)).toBe(true);
    } else {
      const error = thrownBy(run);
      expect(error).toBeInstanceOf(PermissionError);
      expect(error).toMatchObject({ kind: 'FORBIDDEN', code: expected });
      expect(may(actorOf(actor), operation, subject)).toBe(false);
    }
  });

  test.each(ROLES.flatMap((actor) => STAFF_OPERATIONS.map((operation) => [actor, operation] as const)))(
    '%s doing %s, target not known yet: only the role is checked',
    (actor, operation) => {
      const allowed = actor === 'ADMIN' || (actor === 'MODERATOR' && MODERATOR_MAY.has(operation));
      expect(may(actorOf(actor), operation)).toBe(allowed);
    },
  );
});

describe('roles of actors and blocks', () => {
  test.each([
    [{ userId: 'x', isAdmin: true }, 'ADMIN'],
    [{ userId: 'x', isAdmin: false }, 'MEMBER'],
    [{ userId: 'x', isAdmin: false, role: 'MODERATOR' }, 'MODERATOR'],
    [{ userId: 'x', isAdmin: true, role: 'MEMBER' }, 'MEMBER'],
  ] as const)('roleOf(%o) is %s', (actor, role) => {
    expect(roleOf(actor)).toBe(role);
  });

  test.each(BLOCK_DURATIONS)('a block of %s is the operation BLOCK_%s', (duration) => {
    expect(blockOperation(duration)).toBe(`BLOCK_${duration}`);
  });

  const moderator: Actor = { userId: IDS.third, isAdmin: false, role: 'MODERATOR' };
  test.each([
    ['DAYS_7', null],
    ['DAYS_30', null],
    ['DAYS_90', 'USER.ADMIN_ONLY'],
    ['INDEFINITE', 'USER.ADMIN_ONLY'],
  ] as const)('a moderator blocking a member for %s: %s', (duration, code) => {
    const user = PersonalUser.rehydrate(userProps(), new FakeClock());
    const block = () => user.block(blockCommand({ actor: moderator, duration }));
    if (code === null) {
      block();
      expect(user.currentBlock).toMatchObject({ duration, blockedBy: IDS.third });
    } else {
      expect(thrownBy(block)).toMatchObject({ kind: 'FORBIDDEN', code });
      expect(user.isBlocked()).toBe(false);
      expect(user.newEvents).toHaveLength(0);
    }
  });

  test('a blocked member whose later token says admin cannot unblock themself', () => {
    const user = PersonalUser.rehydrate(userProps(), new FakeClock());
    user.block(blockCommand());
    const error = thrownBy(() => user.unblock({ actor: { userId: IDS.member, isAdmin: true, role: 'ADMIN' }, reason: 'me', correlationId: 'c' }));
    expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'USER.SELF_ACTION' });
    expect(user.isBlocked()).toBe(true);
  });
});
