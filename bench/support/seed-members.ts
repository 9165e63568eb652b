import { mongo } from 'mongoose';
import { newEntityId } from '../../domain/shared/entity-id';

const BATCH = 5_000;

/** A member as provisioning stores it: active, no history, nothing to publish. */
export interface StoredMember {
  _id: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  role: string;
  block: object | null;
  restrictions: object[];
  blockHistory: object[];
  outbox: object[];
  version: number;
  createdAt: Date;
  standingChangedAt?: Date;
}

export function storedMember(
  _id: string,
  externalId: string,
  profile: Pick<StoredMember, 'displayName' | 'email'> = { displayName: null, email: null },
  createdAt = new Date(),
): StoredMember {
  return { _id, externalId, ...profile, role: 'MEMBER', block: null, restrictions: [], blockHistory: [], outbox: [], version: 0, createdAt };
}

/**
 * Inserts members the way provisioning stores them, in bulk: a socket of one of them then
 * costs one read at connect, as a returning member's does.
 */
export async function seedMembers(uri: string, externalIds: readonly string[]): Promise<void> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const users = client.db().collection<StoredMember>('users');
    const createdAt = new Date();
    for (let from = 0; from < externalIds.length; from += BATCH) {
      await users.insertMany(
        externalIds.slice(from, from + BATCH).map((externalId) => storedMember(newEntityId(), externalId, undefined, createdAt)),
        { ordered: false },
      );
    }
  } finally {
    await client.close();
  }
}
