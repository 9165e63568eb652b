import type { Connection } from 'mongoose';
import { systemClock } from '../../domain/shared/clock';
import { ConcurrencyError, ValidationError } from '../../domain/shared/domain-error';
import { blockUser } from '../../domain/use-cases/block-user.use-case';
import type { ChangeUserDeps } from '../../domain/use-cases/change-user';
import { unblockUser } from '../../domain/use-cases/unblock-user.use-case';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { OPTIMISTIC_RETRY_LIMIT } from '../../infrastructure/config/limits';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo } from '../../infrastructure/mongo/connection';
import { MongoPersonalUserRepository } from '../../infrastructure/mongo/repositories/personal-user.repository';
import { startDedicatedServices, withDatabase, type DedicatedServices } from '../support/test-env';
import { memberProfile, RecordingPublisher } from './mongo-fixtures';

const PAIRS = 50;

let services: DedicatedServices;
let conn: Connection;
let users: MongoPersonalUserRepository;
let admin: PersonalUser;

beforeAll(async () => {
  // Its own server: 100 writers contending for one document is load enough, without the
  // other test files' traffic queued on the same store (the socket timeout is 4 s).
  services = await startDedicatedServices();
  conn = await connectMongo(withDatabase(services.mongo.uri, 'concurrency'), createLogger('test'));
  users = new MongoPersonalUserRepository(conn, systemClock);
  admin = await users.provision(memberProfile('ADMIN'));
});
afterAll(async () => {
  await closeMongo(conn);
  await services.dispose();
});

const viewer = () => ({ userId: admin.id, isAdmin: true });

type Outcome = { ok: true; user: PersonalUser } | { ok: false; error: unknown };

function settle(run: Promise<PersonalUser>): Promise<Outcome> {
  return run.then(
    (user) => ({ ok: true as const, user }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe('block/unblock under concurrency, through the use cases', () => {
  it(`keeps block, history, version and outbox consistent over ${PAIRS} concurrent block/unblock pairs`, async () => {
    const member = await users.provision(memberProfile());
    const events = new RecordingPublisher();
    const publishFailures: { error: unknown; ids: string[] }[] = [];
    const deps: ChangeUserDeps = {
      users,
      events,
      optimisticRetries: OPTIMISTIC_RETRY_LIMIT,
      onPublishFailure: (error, failed) => publishFailures.push({ error, ids: failed.map((event) => event.id) }),
    };
    const block = blockUser(deps);
    const unblock = unblockUser(deps);

    const pairs = Array.from({ length: PAIRS }, async (_, i) => {
      const target = { viewer: viewer(), userId: member.id };
      const blocked = await settle(
        block({ ...target, correlationId: `b-${i}`, reason: 'OTHER', duration: 'DAYS_7', userMessage: `Block ${i}` }),
      );
      const unblocked = await settle(unblock({ ...target, correlationId: `u-${i}`, reason: `Unblock ${i}` }));
      return [blocked, unblocked] as const;
    });
    const outcomes = await Promise.all(pairs);
    const blocks = outcomes.map(([blocked]) => blocked);
    const unblocks = outcomes.map(([, unblocked]) => unblocked);

    // A refusal is either "not blocked" (another pair unblocked first) or, at worst, a
    // writer that lost the version race on every retry; nothing else.
    const failures = [...blocks, ...unblocks].flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    for (const error of failures) {
      const expected =
        error instanceof ConcurrencyError || (error instanceof ValidationError && error.code === 'USER.NOT_BLOCKED');
      if (!expected) throw error;
    }
    for (const outcome of blocks) if (!outcome.ok) expect(outcome.error).toBeInstanceOf(ConcurrencyError);
    const successfulBlocks = blocks.filter((outcome) => outcome.ok).length;
    const successfulUnblocks = unblocks.filter((outcome) => outcome.ok).length;
    const successes = successfulBlocks + successfulUnblocks;
    expect(successfulBlocks).toBeGreaterThan(0);
    expect(successfulUnblocks).toBeGreaterThan(0);

    const stored = (await users.findById(member.id))!;
    const history = stored.blockHistory;
    expect(history).toHaveLength(successes);
    expect(history.filter((entry) => entry.kind === 'BLOCKED')).toHaveLength(successfulBlocks);
    expect(history.filter((entry) => entry.kind === 'UNBLOCKED')).toHaveLength(successfulUnblocks);
    // An unblock only ever follows a block (a block may replace a block); time never goes back.
    history.forEach((entry, i) => {
      if (entry.kind === 'UNBLOCKED') expect(history[i - 1]?.kind).toBe('BLOCKED');
      if (i > 0) expect(entry.at.getTime()).toBeGreaterThanOrEqual(history[i - 1]!.at.getTime());
    });
    expect(history[0]?.kind).toBe('BLOCKED');
    expect(history.at(-1)?.kind === 'BLOCKED').toBe(stored.isBlocked());
    expect(stored.storedBlock === null).toBe(!stored.isBlocked());

    // Every successful change was saved from a distinct version: 0, 1, ... successes - 1.
    expect(stored.version).toBe(successes);
    const savedFrom = [...blocks, ...unblocks].flatMap((outcome) => (outcome.ok ? [outcome.user.version] : []));
    expect([...savedFrom].sort((a, b) => a - b)).toEqual(Array.from({ length: successes }, (_, i) => i));

    // One event per change, all published and then cleared from the outbox.
    expect(events.events).toHaveLength(successes);
    expect(new Set(events.events.map((event) => event.id)).size).toBe(successes);
    expect(events.events.filter((event) => event.type === 'user.blocked')).toHaveLength(successfulBlocks);
    expect(events.events.filter((event) => event.type === 'user.unblocked')).toHaveLength(successfulUnblocks);
    // Events whose clean-up lost the race for the member stay in the outbox, for the relay.
    const pending = (await users.findUnpublishedEvents(10_000)).filter((event) => event.aggregateId === member.id);
    const leftBehind = publishFailures.flatMap((failure) => failure.ids);
    expect(pending.map((event) => event.id).sort()).toEqual(leftBehind.sort());
  });
});

describe('findStandingChangedSince', () => {
  it('answers the members whose block or restrictions were saved since, and only those', async () => {
    const blocked = await users.provision(memberProfile());
    const unblocked = await users.provision(memberProfile());
    const untouched = await users.provision(memberProfile());
    const before = systemClock.now();
    const command = { actor: viewer(), reason: 'POLICY_VIOLATION' as const, userMessage: 'No', correlationId: 'c' };
    blocked.block({ ...command, duration: 'DAYS_7' });
    unblocked.block({ ...command, duration: 'INDEFINITE' });
    unblocked.unblock({ actor: viewer(), reason: 'Mistake', correlationId: 'c' });
    await Promise.all([blocked, unblocked].map((user) => users.save(user)));

    const mine = new Set([blocked.id, unblocked.id, untouched.id]);
    const changed = (await users.findStandingChangedSince(before)).filter((user) => mine.has(user.id));
    expect(changed.map((user) => [user.id, user.isBlocked()]).sort()).toEqual(
      [
        [blocked.id, true],
        [unblocked.id, false],
      ].sort(),
    );
    const later = new Date(systemClock.now().getTime() + 1);
    expect((await users.findStandingChangedSince(later)).filter((user) => mine.has(user.id))).toEqual([]);
  });
});
