import type { Connection } from 'mongoose';
import { systemClock } from '../../domain/shared/clock';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo, pingMongo } from '../../infrastructure/mongo/connection';
import { PersistenceUnavailableError } from '../../infrastructure/mongo/mongo-errors';
import { MongoPersonalUserRepository } from '../../infrastructure/mongo/repositories/personal-user.repository';
import { testMongoUri } from '../support/test-env';
import { startFreezableProxy, type FreezableProxy } from './freezable-proxy';
import { memberProfile } from './mongo-fixtures';

const REFUSAL_BOUND_MS = 5_000;

let proxy: FreezableProxy;
let conn: Connection;

beforeAll(async () => {
  const direct = new URL(testMongoUri());
  proxy = await startFreezableProxy({ host: direct.hostname, port: Number(direct.port) });
  direct.host = `127.0.0.1:${proxy.port}`;
  conn = await connectMongo(direct.toString(), createLogger('test'));
});

afterAll(async () => {
  await closeMongo(conn).catch(() => undefined);
  await proxy.close();
});

async function timed(run: () => Promise<unknown>): Promise<{ outcome: unknown; ms: number }> {
  const started = Date.now();
  const outcome = await run().catch((error: unknown) => error);
  return { outcome, ms: Date.now() - started };
}

describe('a MongoDB that hangs (accepts, never answers)', () => {
  it('refuses reads and writes within 5 s, then recovers when it answers again', async () => {
    const users = new MongoPersonalUserRepository(conn, systemClock);
    const member = await users.provision(memberProfile());
    const admin = await users.provision(memberProfile('ADMIN'));
    const change = (await users.findById(member.id))!;
    const actor = { userId: admin.id, isAdmin: true };
    change.block({ actor, reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Stop', correlationId: 'hang' });

    proxy.freeze();
    const calls: (() => Promise<unknown>)[] = [() => users.findById(member.id), () => users.save(change)];
    for (const run of [...calls, calls[0]!]) {
      const { outcome, ms } = await timed(run);
      expect(outcome).toBeInstanceOf(PersistenceUnavailableError);
      expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
    }
    const probe = await timed(() => pingMongo(conn));
    expect(probe.outcome).toBe(false);
    expect(probe.ms).toBeLessThan(REFUSAL_BOUND_MS);

    proxy.thaw();
    const started = Date.now();
    let stored = await users.findById(member.id).catch(() => null);
    while (!stored && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      stored = await users.findById(member.id).catch(() => null);
    }
    expect(stored?.version).toBe(0);
    expect(stored?.blockHistory).toEqual([]);
  }, 60_000);
});
