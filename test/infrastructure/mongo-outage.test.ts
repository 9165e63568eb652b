import type { Connection } from 'mongoose';
import { systemClock } from '../../domain/shared/clock';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo, pingMongo } from '../../infrastructure/mongo/connection';
import { PersistenceUnavailableError } from '../../infrastructure/mongo/mongo-errors';
import { MongoPersonalUserRepository } from '../../infrastructure/mongo/repositories/personal-user.repository';
import { startDedicatedServices, withDatabase, type DedicatedServices } from '../support/test-env';
import { memberProfile } from './mongo-fixtures';

/** The API's contract: a request hears SERVICE_UNAVAILABLE within this. */
const REFUSAL_BOUND_MS = 5_000;
const RECOVERY_BOUND_MS = 15_000;

let services: DedicatedServices;
let conn: Connection;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  services = await startDedicatedServices();
  conn = await connectMongo(withDatabase(services.mongo.uri, 'warden_outage'), createLogger('test'));
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await closeMongo(conn).catch(() => undefined);
  await services?.dispose();
});

/** How long `run` took to reject, and with what. */
async function timedRejection(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

async function pollUntil<T>(attempt: () => Promise<T>, boundMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    try {
      return { value: await attempt(), ms: Date.now() - started };
    } catch (error) {
      if (Date.now() - started > boundMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('MongoDB outage', () => {
  it('refuses within 5 s as PersistenceUnavailableError, applies nothing, recovers on the same connection', async () => {
    const users = new MongoPersonalUserRepository(conn, systemClock);
    const member = await users.provision(memberProfile());
    const admin = await users.provision(memberProfile('ADMIN'));
    const change: PersonalUser = (await users.findById(member.id))!;
    const actor = { userId: admin.id, isAdmin: true };
    change.block({ actor, reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Stop', correlationId: 'outage' });

    await services.mongo.stop();

    const read = await timedRejection(() => users.findById(member.id));
    expect(read.error).toBeInstanceOf(PersistenceUnavailableError);
    expect(read.ms).toBeLessThan(REFUSAL_BOUND_MS);
    const write = await timedRejection(() => users.save(change));
    expect(write.error).toBeInstanceOf(PersistenceUnavailableError);
    expect(write.ms).toBeLessThan(REFUSAL_BOUND_MS);
    const probeStarted = Date.now();
    expect(await pingMongo(conn)).toBe(false);
    expect(Date.now() - probeStarted).toBeLessThan(REFUSAL_BOUND_MS);

    await services.mongo.start();

    const recovered = await pollUntil(() => users.findById(member.id), RECOVERY_BOUND_MS);
    expect(recovered.ms).toBeLessThan(RECOVERY_BOUND_MS);
    const stored = recovered.value!;
    // The refused save left nothing behind.
    expect(stored.version).toBe(0);
    expect(stored.storedBlock).toBeNull();
    expect(stored.blockHistory).toEqual([]);
    expect((await users.findUnpublishedEvents(100)).filter((event) => event.aggregateId === member.id)).toEqual([]);
    expect(await pingMongo(conn)).toBe(true);

    // And writes work again through the same connection.
    await users.save(change);
    expect((await users.findById(member.id))?.isBlocked()).toBe(true);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
