import { PermissionError } from '../../domain/shared/domain-error';
import type { Viewer } from '../../domain/use-cases/viewer';
import type { ChangeUserDeps } from '../../domain/use-cases/change-user';
import { blocksExpiringBy } from '../../domain/use-cases/enforcement-queries';
import { liftRestriction } from '../../domain/use-cases/lift-restriction.use-case';
import { restrictUser, type RestrictUserCommand } from '../../domain/use-cases/restrict-user.use-case';
import { settleExpiredBlock } from '../../domain/use-cases/settle-expired-block.use-case';
import { ADMIN, DAY_MS, IDS, adminProps, rejectionOf, userProps } from './fakes/builders';
import { CallLog } from './fakes/call-log';
import { FakeClock } from './fakes/fake-clock';
import { InMemoryUserRepository } from './fakes/in-memory-user.repository';
import { RecordingEventPublisher } from './fakes/recording-event-publisher';

const MEMBER: Viewer = { userId: IDS.other, isAdmin: false, role: 'MEMBER' };
const MODERATOR: Viewer = { userId: IDS.third, isAdmin: false, role: 'MODERATOR' };

function harness() {
  const clock = new FakeClock('2030-01-01T00:00:00.000Z');
  const log = new CallLog();
  const users = new InMemoryUserRepository(clock, log);
  const events = new RecordingEventPublisher(log);
  const deps: ChangeUserDeps = { users, events, optimisticRetries: 3 };
  users.seed(adminProps());
  users.seed(userProps());
  users.seed(userProps({ id: IDS.other, externalId: 'auth0|other' }));
  users.seed(userProps({ id: IDS.third, externalId: 'auth0|mod', role: 'MODERATOR' }));
  return {
    clock,
    log,
    users,
    events,
    restrict: restrictUser(deps),
    lift: liftRestriction(deps),
    settle: settleExpiredBlock(deps),
    expiring: blocksExpiringBy({ users }),
  };
}

const restrictOf = (overrides: Partial<RestrictUserCommand> = {}): RestrictUserCommand => ({
  viewer: MODERATOR,
  correlationId: 'corr-restrict',
  userId: IDS.member,
  actions: ['SEND_MESSAGE'],
  reason: 'INAPPROPRIATE_BEHAVIOR',
  duration: 'DAYS_7',
  userMessage: 'Messaging paused',
  adminNote: 'report 7',
  ...overrides,
});

test('restrictUser saves the restriction and publishes user.restricted', async () => {
  const h = harness();
  const user = await h.restrict(restrictOf());
  expect(user.accountStatus().state).toBe('RESTRICTED');
  expect(h.users.row(IDS.member)?.restrictions).toHaveLength(1);
  expect(h.events.types()).toEqual(['user.restricted']);
  expect(h.users.outboxOf(IDS.member)).toEqual([]);
});

test.each([
  ['a member, known target', restrictOf({ viewer: MEMBER })],
  ['a member, unknown target', restrictOf({ viewer: MEMBER, userId: IDS.unknown })],
])('restrictUser by %s is FORBIDDEN before any read', async (_name, command) => {
  const h = harness();
  const error = await rejectionOf(h.restrict(command));
  expect(error).toBeInstanceOf(PermissionError);
  expect(error).toMatchObject({ code: 'USER.STAFF_ONLY' });
  expect(h.log.named('users.findById')).toEqual([]);
});

test('restrictUser of an unknown member is NOT_FOUND', async () => {
  const h = harness();
  expect(await rejectionOf(h.restrict(restrictOf({ userId: IDS.unknown })))).toMatchObject({ kind: 'NOT_FOUND' });
});

test('restrictUser on an admin is FORBIDDEN, even for an admin', async () => {
  const h = harness();
  expect(await rejectionOf(h.restrict(restrictOf({ viewer: ADMIN, userId: IDS.admin2 })))).toMatchObject({ kind: 'NOT_FOUND' });
  expect(await rejectionOf(h.restrict(restrictOf({ viewer: ADMIN, userId: IDS.admin })))).toMatchObject({ code: 'USER.SELF_ACTION' });
  expect(await rejectionOf(h.restrict(restrictOf({ userId: IDS.admin })))).toMatchObject({ code: 'USER.ADMIN_TARGET' });
  expect(h.events.published).toEqual([]);
});

test('liftRestriction finds the holder by the restriction id and lifts it', async () => {
  const h = harness();
  const restrictionId = (await h.restrict(restrictOf())).storedRestrictions[0]!.id;
  const lifted = await h.lift({ viewer: MODERATOR, correlationId: 'corr-lift', restrictionId, reason: 'Apologised' });
  expect(lifted.id).toBe(IDS.member);
  expect(lifted.accountStatus().state).toBe('ACTIVE');
  expect(h.events.types()).toEqual(['user.restricted', 'user.restriction-lifted']);
  expect(h.users.row(IDS.member)?.restrictions).toEqual([]);
});

test('liftRestriction: a member is FORBIDDEN before any read; an unknown id is NOT_FOUND', async () => {
  const h = harness();
  const error = await rejectionOf(h.lift({ viewer: MEMBER, correlationId: 'c', restrictionId: IDS.unknown, reason: 'r' }));
  expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'USER.STAFF_ONLY' });
  expect(h.log.named('users.findByRestrictionId')).toEqual([]);
  expect(await rejectionOf(h.lift({ viewer: ADMIN, correlationId: 'c', restrictionId: IDS.unknown, reason: 'r' }))).toMatchObject({
    kind: 'NOT_FOUND',
    code: 'RESTRICTION.NOT_FOUND',
  });
});

test('the expiry schedule finds a timed restriction, and settling it publishes the ACTIVE status once', async () => {
  const h = harness();
  await h.restrict(restrictOf({ duration: 'DAYS_7' }));
  await h.restrict(restrictOf({ userId: IDS.other, duration: 'INDEFINITE' }));
  const soon = await h.expiring(new Date(h.clock.now().getTime() + 8 * DAY_MS));
  expect(soon).toEqual([{ userId: IDS.member, expiresAt: new Date(h.clock.now().getTime() + 7 * DAY_MS) }]);

  h.clock.advance(7 * DAY_MS);
  const settled = await h.settle({ userId: IDS.member, correlationId: 'expiry-1' });
  expect(settled.nextStoredExpiry).toBeNull();
  expect(h.events.types().filter((type) => type === 'user.restriction-expired')).toHaveLength(1);
  expect(h.events.published.at(-1)?.payload).toMatchObject({ status: { state: 'ACTIVE', restrictions: [] } });
  await h.settle({ userId: IDS.member, correlationId: 'expiry-2' });
  expect(h.events.types().filter((type) => type === 'user.restriction-expired')).toHaveLength(1);
  expect(h.users.row(IDS.member)?.blockHistory.map((entry) => entry.kind)).toEqual(['RESTRICTED', 'RESTRICTION_EXPIRED']);
});
