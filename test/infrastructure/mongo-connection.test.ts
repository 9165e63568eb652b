import { createServer } from 'node:net';
import { mongo } from 'mongoose';
import { MONGO_SOCKET_TIMEOUT_MS } from '../../infrastructure/config/limits';
import { systemClock } from '../../domain/shared/clock';
import { newEntityId } from '../../domain/shared/entity-id';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo, pingMongo } from '../../infrastructure/mongo/connection';
import { PersistenceUnavailableError } from '../../infrastructure/mongo/mongo-errors';
import { createMongoRepositories } from '../../infrastructure/mongo/repositories';
import { testMongoUri, withDatabase } from '../support/test-env';
import { findSecantus, startSecantus } from '../../infrastructure/services/secantus-server';
import { connectTestMongo } from './mongo-fixtures';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectMongo', () => {
  it('opens a connection with every index built, and pings', async () => {
    const conn = await connectTestMongo();
    try {
      const indexes = async (collection: string) => {
        const found = await conn.db!.collection(collection).listIndexes().toArray();
        return found.map((index) => ({ key: index.key, unique: index.unique ?? false }));
      };
      const compound = (key: Record<string, number>) => expect.arrayContaining([{ key, unique: false }]);
      expect(await indexes('users')).toEqual(
        expect.arrayContaining([
          { key: { externalId: 1 }, unique: true },
          { key: { 'block.expiresAt': 1 }, unique: false },
          { key: { 'outbox.occurredAt': 1 }, unique: false },
        ]),
      );
      expect(await indexes('item_listings')).toEqual(compound({ sharerId: 1, createdAt: -1, _id: -1 }));
      expect(await indexes('reservation_requests')).toEqual(compound({ reserverId: 1, createdAt: -1, _id: -1 }));
      expect(await indexes('messages')).toEqual(compound({ conversationId: 1, sentAt: -1, _id: -1 }));
      expect(await indexes('conversations')).toEqual(compound({ participantIds: 1, lastMessageAt: -1, _id: -1 }));
      expect(await pingMongo(conn)).toBe(true);
    } finally {
      await closeMongo(conn);
    }
  });

  it('emits the driver command events only when asked (they decode every reply twice)', async () => {
    const plain = await connectTestMongo();
    const monitored = await connectMongo(testMongoUri(), createLogger('test'), { monitorCommands: true });
    try {
      const seen = { plain: 0, monitored: 0 };
      plain.getClient().on('commandStarted', () => seen.plain++);
      monitored.getClient().on('commandStarted', () => seen.monitored++);
      await plain.db!.collection('users').findOne({ _id: newEntityId(new Date()) as never });
      await monitored.db!.collection('users').findOne({ _id: newEntityId(new Date()) as never });
      expect(seen).toEqual({ plain: 0, monitored: 1 });
    } finally {
      await Promise.all([closeMongo(plain), closeMongo(monitored)]);
    }
  });

  it('builds its indexes even when a build takes longer than a request may', async () => {
    // A store of its own with failCommand, holding the first createIndexes past
    // MONGO_SOCKET_TIMEOUT_MS.
    const store = await startSecantus(findSecantus(), { testCommands: true });
    const admin = new mongo.MongoClient(store.uri);
    try {
      await admin.db('admin').command({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['createIndexes'], blockConnection: true, blockTimeMS: MONGO_SOCKET_TIMEOUT_MS + 1_000 },
      });
      const started = Date.now();
      const conn = await connectMongo(withDatabase(store.uri, 'slow_index_build'), createLogger('test'));
      // The build was held (else this proves nothing) and the connection still opened.
      expect(Date.now() - started).toBeGreaterThanOrEqual(MONGO_SOCKET_TIMEOUT_MS);
      expect(await pingMongo(conn)).toBe(true);
      await closeMongo(conn);
    } finally {
      await admin.close();
      await store.dispose();
    }
  }, 30_000);

  it('fails loudly, in bounded time, when MongoDB cannot be reached at start', async () => {
    const started = Date.now();
    await expect(connectMongo(`mongodb://127.0.0.1:${await closedPort()}/warden`, createLogger('test'))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('after closeMongo: ping is false (never throws) and repositories refuse with PersistenceUnavailableError', async () => {
    const conn = await connectTestMongo();
    const { users, listings } = createMongoRepositories(conn, systemClock);
    await closeMongo(conn);
    await closeMongo(conn);
    expect(await pingMongo(conn)).toBe(false);
    await expect(users.findById(newEntityId())).rejects.toBeInstanceOf(PersistenceUnavailableError);
    await expect(listings.listBySharer(newEntityId(), { first: 1 })).rejects.toBeInstanceOf(PersistenceUnavailableError);
  });
});
