import type { Connection, mongo } from 'mongoose';
import type { Clock } from '../../../domain/shared/clock';
import { ConcurrencyError } from '../../../domain/shared/domain-error';
import { newEntityId } from '../../../domain/shared/entity-id';
import type { PersonalUser } from '../../../domain/user/personal-user.aggregate';
import type { PersonalUserRepository, ProvisionProfile } from '../../../domain/user/personal-user.repository';
import type { UserEvent } from '../../../domain/user/user.events';
import { MONGO_IN_BATCH } from '../../config/limits';
import { guarded, isDuplicateKeyError } from '../mongo-errors';
import { driverCollection } from '../models/driver-collection';
import { personalUserModel, type PersonalUserDoc } from '../models/personal-user.model';
import { toPersonalUser, toStoredEvent } from './personal-user.mapper';

type StoredUser = Partial<PersonalUserDoc> & { _id: string };

// Aggregates never need the outbox; only the relay reads it.
const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;
// Optional fields the domain leaves undefined are not stored (the driver would write null).
const WRITE = { ignoreUndefined: true } as const;
const AGGREGATE = 'PersonalUser';

/**
 * Members in MongoDB, one document each: state, history and outbox change together in one
 * conditional update (MongoDB's single-document atomicity), guarded by the version read.
 * Plain driver calls: every request reads a member, and mongoose's casting cost more than
 * some of the store's own commands.
 */
export class MongoPersonalUserRepository implements PersonalUserRepository {
  private readonly users: mongo.Collection<PersonalUserDoc>;

  constructor(
    conn: Connection,
    private readonly clock: Clock,
  ) {
    this.users = driverCollection(conn, personalUserModel(conn));
  }

  findById(id: string): Promise<PersonalUser | null> {
    return guarded(async () => {
      const doc = await this.users.findOne<StoredUser>({ _id: id }, WITHOUT_OUTBOX);
      return doc ? toPersonalUser(doc, this.clock) : null;
    });
  }

  /** In the order of `ids`; unknown ids are left out. */
  findManyByIds(ids: readonly string[]): Promise<PersonalUser[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve([]);
    return guarded(async () => {
      const docs = await inBatches(unique, (batch) =>
        this.users.find<StoredUser>({ _id: { $in: batch } }, WITHOUT_OUTBOX).toArray(),
      );
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      return unique.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toPersonalUser(doc, this.clock)] : [];
      });
    });
  }

  /**
   * A known member with an unchanged profile costs one read by the unique `externalId`
   * index; a newcomer or a changed profile one upsert on it more.
   */
  provision(profile: ProvisionProfile): Promise<PersonalUser> {
    return guarded(async () => {
      const known = await this.users.findOne<StoredUser>({ externalId: profile.externalId }, WITHOUT_OUTBOX);
      if (known && sameProfile(known, profile)) return toPersonalUser(known, this.clock);
      return toPersonalUser(await this.upsertProfile(profile), this.clock);
    });
  }

  /**
   * Profile fields are provisioning's alone and never bump the version, so a save and a
   * profile refresh never undo each other. Two first requests racing on the unique index:
   * MongoDB retries the loser's upsert as an update; a server that reports the duplicate
   * instead gets one more try. SecantusDB 0.7 sometimes answers the loser with no document
   * at all (`upserted: null`): the winner's document is then read.
   */
  private async upsertProfile(profile: ProvisionProfile): Promise<StoredUser> {
    const { externalId, displayName, email, role } = profile;
    const upsert = () =>
      this.users.findOneAndUpdate(
        { externalId },
        {
          $set: { displayName, email, role },
          $setOnInsert: {
            _id: newEntityId(this.clock.now()),
            block: null,
            restrictions: [],
            blockHistory: [],
            outbox: [],
            version: 0,
            createdAt: this.clock.now(),
          },
        },
        { upsert: true, returnDocument: 'after', ...WITHOUT_OUTBOX },
      ) as Promise<StoredUser | null>;
    let stored: StoredUser | null;
    try {
      stored = await upsert();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      stored = await upsert();
    }
    stored ??= await this.users.findOne<StoredUser>({ externalId }, WITHOUT_OUTBOX);
    if (!stored) throw new Error(`member ${externalId} was upserted but cannot be read`);
    return stored;
  }

  save(user: PersonalUser): Promise<void> {
    return guarded(async () => {
      // Profile fields are provisioning's: never written here.
      const result = await this.users.updateOne(
        { _id: user.id, version: user.version },
        {
          $set: {
            block: user.storedBlock,
            restrictions: [...user.storedRestrictions],
            standingChangedAt: this.clock.now(),
          },
          $push: {
            blockHistory: { $each: [...user.newHistoryEntries] },
            outbox: { $each: user.newEvents.map(toStoredEvent) },
          },
          $inc: { version: 1 },
        },
        WRITE,
      );
      if (result.matchedCount === 0) throw new ConcurrencyError(AGGREGATE, user.id);
    });
  }

  markEventsPublished(userId: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return Promise.resolve();
    return guarded(async () => {
      await this.users.updateOne({ _id: userId }, { $pull: { outbox: { id: { $in: [...eventIds] } } } });
    });
  }

  findUnpublishedEvents(limit: number): Promise<UserEvent[]> {
    return guarded(async () => {
      const rows = await this.users
        .aggregate<{ outbox: UserEvent }>([
          { $match: { 'outbox.occurredAt': { $exists: true } } },
          { $unwind: '$outbox' },
          { $sort: { 'outbox.occurredAt': 1, 'outbox.id': 1 } },
          { $limit: limit },
          { $project: { _id: 0, outbox: 1 } },
        ])
        .toArray();
      return rows.map((row) => toStoredEvent(row.outbox));
    });
  }

  findStandingChangedSince(since: Date): Promise<PersonalUser[]> {
    return guarded(async () => {
      const docs = await this.users.find<StoredUser>({ standingChangedAt: { $gte: since } }, WITHOUT_OUTBOX).toArray();
      return docs.map((doc) => toPersonalUser(doc, this.clock));
    });
  }

  findBlocksExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return guarded(async () => {
      const docs = await this.users
        .find<StoredUser>({ 'block.expiresAt': { $gt: from, $lte: until } }, WITHOUT_OUTBOX)
        .sort({ 'block.expiresAt': 1, _id: 1 })
        .toArray();
      return docs.map((doc) => toPersonalUser(doc, this.clock));
    });
  }

  findRestrictionsExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return guarded(async () => {
      const docs = await this.users
        .find<StoredUser>({ restrictions: { $elemMatch: { expiresAt: { $gt: from, $lte: until } } } }, WITHOUT_OUTBOX)
        .toArray();
      return docs.map((doc) => toPersonalUser(doc, this.clock));
    });
  }

  findByRestrictionId(restrictionId: string): Promise<PersonalUser | null> {
    return guarded(async () => {
      const doc = await this.users.findOne<StoredUser>({ 'restrictions.id': restrictionId }, WITHOUT_OUTBOX);
      return doc ? toPersonalUser(doc, this.clock) : null;
    });
  }
}

/**
 * One query per MONGO_IN_BATCH ids, one after the other: a page of members may name many,
 * and SecantusDB's cost of an `$in` grows with the square of its length
 * (1,000 ids: 2 s; 100: 44 ms). On MongoDB a batch costs one more round trip, nothing else.
 */
async function inBatches<T>(ids: readonly string[], query: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const found: T[] = [];
  for (let from = 0; from < ids.length; from += MONGO_IN_BATCH) found.push(...(await query(ids.slice(from, from + MONGO_IN_BATCH))));
  return found;
}

function sameProfile(doc: Pick<StoredUser, 'displayName' | 'email' | 'role'>, profile: ProvisionProfile): boolean {
  return (
    (doc.displayName ?? null) === profile.displayName &&
    (doc.email ?? null) === profile.email &&
    doc.role === profile.role
  );
}
