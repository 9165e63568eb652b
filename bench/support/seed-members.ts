import { mongo } from 'mongoose';
import { newEntityId } from '../../domain/shared/entity-id';

const BATCH = 5_000;

/**
 * Inserts members the way provisioning stores them, in bulk: a socket of one of them then
 * costs one read at connect, as a returning member's does.
 */
export async function seedMembers(uri: string, externalIds: readonly string[]): Promise<void> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const users = client.db().collection('users');
    const createdAt = new Date();
    for (let from = 0; from < externalIds.length; from += BATCH) {
      await users.insertMany(
        externalIds.slice(from, from + BATCH).map((externalId) => ({
          _id: newEntityId() as never,
          externalId,
          displayName: null,
          email: null,
          role: 'MEMBER',
          block: null,
          restrictions: [],
          blockHistory: [],
          outbox: [],
          version: 0,
          createdAt,
        })),
        { ordered: false },
      );
    }
  } finally {
    await client.close();
  }
}
