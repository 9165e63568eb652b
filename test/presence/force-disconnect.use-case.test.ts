import type { NewAuditEntry } from '../../domain/audit/audit-entry';
import type { DisconnectOutcome, SessionControl } from '../../domain/ports/session-control';
import { NotFoundError, PermissionError, ValidationError } from '../../domain/shared/domain-error';
import { activeSessionCount, forceDisconnect } from '../../domain/use-cases/force-disconnect.use-case';
import type { Viewer } from '../../domain/use-cases/viewer';
import { ADMIN, IDS, adminProps, userProps } from '../domain/fakes/builders';
import { FakeClock } from '../domain/fakes/fake-clock';
import { InMemoryUserRepository } from '../domain/fakes/in-memory-user.repository';

// The use case's rules and its audit entry, with the domain's in-memory fakes (as in
// test/domain). The transport is covered against real processes in the other files here.

const MEMBER: Viewer = { userId: IDS.member, isAdmin: false };
const MODERATOR: Viewer = { userId: IDS.third, isAdmin: false, role: 'MODERATOR' };

function harness(outcome: DisconnectOutcome = { socketsClosed: 3, instances: ['a', 'b'], unanswered: [] }) {
  const users = new InMemoryUserRepository(new FakeClock());
  users.seed(userProps());
  users.seed(adminProps());
  users.seed(adminProps({ id: IDS.admin2, externalId: 'auth0|admin-2' }));
  users.seed(userProps({ id: IDS.other, externalId: 'auth0|mod-1', role: 'MODERATOR' }));
  users.seed(userProps({ id: IDS.third, externalId: 'auth0|mod-2', role: 'MODERATOR' }));
  const calls: string[] = [];
  const sessions: SessionControl = {
    async disconnectEverywhere(userId, correlationId) {
      calls.push(`disconnect:${userId}:${correlationId}`);
      return outcome;
    },
    async activeSessionCount(userId) {
      calls.push(`count:${userId}`);
      return 2;
    },
  };
  const entries: NewAuditEntry[] = [];
  const audit = { record: (entry: NewAuditEntry) => void entries.push(entry) };
  return { calls, entries, run: forceDisconnect({ users, sessions, audit }), count: activeSessionCount({ sessions }) };
}

const command = (overrides: Partial<Parameters<ReturnType<typeof forceDisconnect>>[0]> = {}) => ({
  viewer: ADMIN,
  correlationId: 'corr-kick',
  userId: IDS.member,
  reason: '  Shared laptop left logged in  ',
  ...overrides,
});

test('disconnects everywhere, returns the count and records FORCE_DISCONNECT', async () => {
  const h = harness();
  expect(await h.run(command())).toBe(3);
  expect(h.calls).toEqual([`disconnect:${IDS.member}:corr-kick`]);
  expect(h.entries).toEqual([
    {
      type: 'FORCE_DISCONNECT',
      actorId: IDS.admin,
      targetId: IDS.member,
      reason: 'Shared laptop left logged in',
      correlationId: 'corr-kick',
      details: { socketsClosed: 3, instances: ['a', 'b'] },
    },
  ]);
});

test('names the instances that did not answer in the audit entry', async () => {
  const h = harness({ socketsClosed: 1, instances: ['a'], unanswered: ['b'] });
  expect(await h.run(command())).toBe(1);
  expect(h.entries[0]?.details).toEqual({ socketsClosed: 1, instances: ['a'], unanswered: ['b'] });
});

test.each([
  ['a member', command({ viewer: MEMBER }), PermissionError, 'USER.STAFF_ONLY'],
  ['a member, unknown target', command({ viewer: MEMBER, userId: IDS.unknown }), PermissionError, 'USER.STAFF_ONLY'],
  ['an admin on themself', command({ userId: IDS.admin }), PermissionError, 'USER.SELF_ACTION'],
  ['an admin on another admin', command({ userId: IDS.admin2 }), PermissionError, 'USER.ADMIN_TARGET'],
  ['a moderator on another moderator', command({ viewer: MODERATOR, userId: IDS.other }), PermissionError, 'USER.TARGET_RANK'],
  ['an empty reason', command({ reason: '   ' }), ValidationError, 'TEXT.TOO_SHORT'],
  ['a reason of 1001 characters', command({ reason: 'r'.repeat(1_001) }), ValidationError, 'TEXT.TOO_LONG'],
  ['an unknown member', command({ userId: IDS.unknown }), NotFoundError, 'USER.NOT_FOUND'],
])('%s is refused before anything is closed or recorded', async (_name, input, type, code) => {
  const h = harness();
  const error = await h.run(input).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ code });
  expect(h.calls).toEqual([]);
  expect(h.entries).toEqual([]);
});

test('a moderator disconnects a member', async () => {
  const h = harness();
  expect(await h.run(command({ viewer: MODERATOR }))).toBe(3);
  expect(h.entries[0]).toMatchObject({ type: 'FORCE_DISCONNECT', actorId: IDS.third, targetId: IDS.member });
});

test('activeSessionCount is for staff only', async () => {
  const h = harness();
  expect(await h.count(ADMIN, IDS.member)).toBe(2);
  await expect(h.count(MEMBER, IDS.member)).rejects.toBeInstanceOf(PermissionError);
  expect(h.calls).toEqual([`count:${IDS.member}`]);
});
