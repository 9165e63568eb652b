import type { Connection, Model } from 'mongoose';
import type { Clock } from '../../../domain/shared/clock';
import { ConcurrencyError } from '../../../domain/shared/domain-error';
import { newEntityId } from '../../../domain/shared/entity-id';
import type { PersonalUser } from '../../../domain/user/personal-user.aggregate';
import type { PersonalUserRepository, ProvisionProfile } from '../../../domain/user/personal-user.repository';
import type { UserEvent } from '../../../domain/user/user.events';
import { guarded, isDuplicateKeyError } from '../mongo-errors';
import { WriteLeases } from '../write-lease';
import { personalUserModel, type PersonalUserDoc } from '../models/personal-user.model';
import { toPersonalUser, toStoredEvent } from './personal-user.mapper';

type StoredUser = Partial<PersonalUserDoc> & { _id: string };

// Aggregates never need the outbox; only the relay reads it.
const WITHOUT_OUTBOX = { outbox: 0 } as const;
// Concurrent first provisions race on the unique externalId; the losers then read.
const PROVISION_ATTEMPTS = 3;
const AGGREGATE = 'PersonalUser';

/**
 * Members in MongoDB, one document each: state, history and outbox change together in
 * one update. Every write to a member document holds its write lease (write-lease.ts).
 */
export class MongoPersonalUserRepository implements PersonalUserRepository {
  private readonly model: Model<PersonalUserDoc>;
  private readonly leases: WriteLeases;

  constructor(
    conn: Connection,
    private readonly clock: Clock,
  ) {
    this.model = personalUserModel(conn);
    this.leases = new WriteLeases(conn);
  }

  findById(id: string): Promise<PersonalUser | null> {
    return guarded(async () => {
      const doc = await this.model.findById(id, WITHOUT_OUTBOX).lean<StoredUser>().exec();
      return doc ? toPersonalUser(doc, this.clock) : null;
    });
  }

  /** In the order of `ids`; unknown ids are left out. */
  findManyByIds(ids: readonly string[]): Promise<PersonalUser[]> {
    return guarded(async () => {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const docs = await this.model.find({ _id: { $in: unique } }, WITHOUT_OUTBOX).lean<StoredUser[]>().exec();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      return unique.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toPersonalUser(doc, this.clock)] : [];
      });
    });
  }

  provision(profile: ProvisionProfile): Promise<PersonalUser> {
    return guarded(async () => {
      for (let attempt = 1; ; attempt++) {
        const existing = await this.findByExternalId(profile.externalId);
        if (existing) return this.refreshProfile(existing, profile);
        try {
          return toPersonalUser(await this.insertMember(profile), this.clock);
        } catch (error) {
          // A concurrent first request inserted it: read that one instead.
          if (!isDuplicateKeyError(error) || attempt >= PROVISION_ATTEMPTS) throw error;
        }
      }
    });
  }

  private findByExternalId(externalId: string): Promise<StoredUser | null> {
    return this.model.findOne({ externalId }, WITHOUT_OUTBOX).lean<StoredUser>().exec();
  }

  // A plain insert, not an upsert: FerretDB drops null and [] values of $setOnInsert, and
  // its upsert of an existing document would race with save (see write-lease.ts).
  private async insertMember(profile: ProvisionProfile): Promise<PersonalUserDoc> {
    const now = this.clock.now();
    const doc: PersonalUserDoc = {
      _id: newEntityId(now),
      externalId: profile.externalId,
      displayName: profile.displayName,
      email: profile.email,
      role: profile.role,
      block: null,
      blockHistory: [],
      outbox: [],
      version: 0,
      createdAt: now,
    };
    await this.model.insertOne(doc);
    return doc;
  }

  private async refreshProfile(existing: StoredUser, profile: ProvisionProfile): Promise<PersonalUser> {
    if (sameProfile(existing, profile)) return toPersonalUser(existing, this.clock);
    const { displayName, email, role } = profile;
    await this.leases.run(AGGREGATE, existing._id, () =>
      this.model.updateOne({ _id: existing._id }, { $set: { displayName, email, role } }).exec(),
    );
    const refreshed = await this.model.findById(existing._id, WITHOUT_OUTBOX).lean<StoredUser>().exec();
    return toPersonalUser(refreshed ?? { ...existing, displayName, email, role }, this.clock);
  }

  save(user: PersonalUser): Promise<void> {
    // A writer already outrun while waiting for the lease gives up, to re-read sooner.
    const outrun = async () => !(await this.model.exists({ _id: user.id, version: user.version }).exec());
    return guarded(() =>
      this.leases.run(AGGREGATE, user.id, async () => {
        // Profile fields are provisioning's: never written here, so neither writer undoes
        // the other's change.
        const result = await this.model
          .updateOne(
            { _id: user.id, version: user.version },
            {
              $set: { block: user.storedBlock },
              $push: {
                blockHistory: { $each: [...user.newHistoryEntries] },
                outbox: { $each: user.newEvents.map(toStoredEvent) },
              },
              $inc: { version: 1 },
            },
          )
          .exec();
        if (result.matchedCount === 0) throw new ConcurrencyError(AGGREGATE, user.id);
      }, outrun),
    );
  }

  markEventsPublished(userId: string, eventIds: readonly string[]): Promise<void> {
    return guarded(async () => {
      const published = new Set(eventIds);
      const pending = async () => {
        const doc = await this.model.findById(userId, { outbox: 1 }).lean<StoredUser>().exec();
        return (doc?.outbox ?? []).filter((event) => published.has(event.id));
      };
      // Only events saved by now can be published, so a first look outside the lease
      // spares it when there is nothing to remove.
      if ((await pending()).length === 0) return;
      await this.leases.run(AGGREGATE, userId, async () => {
        const entries = await pending();
        // $pullAll of the exact stored entries, not $pull by condition: FerretDB ignores
        // $pull conditions on embedded documents.
        if (entries.length > 0) await this.model.updateOne({ _id: userId }, { $pullAll: { outbox: entries } }).exec();
      });
    });
  }

  findUnpublishedEvents(limit: number): Promise<UserEvent[]> {
    return guarded(async () => {
      const rows = await this.model
        .aggregate<{ outbox: UserEvent }>([
          { $match: { 'outbox.occurredAt': { $exists: true } } },
          { $unwind: '$outbox' },
          { $sort: { 'outbox.occurredAt': 1, 'outbox.id': 1 } },
          { $limit: limit },
          { $project: { _id: 0, outbox: 1 } },
        ])
        .exec();
      return rows.map((row) => toStoredEvent(row.outbox));
    });
  }

  findBlockedAmong(ids: readonly string[], now: Date): Promise<string[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const docs = await this.model
        .find(
          {
            _id: { $in: [...new Set(ids)] },
            block: { $ne: null },
            $or: [{ 'block.expiresAt': null }, { 'block.expiresAt': { $gt: now } }],
          },
          { _id: 1 },
        )
        .lean<{ _id: string }[]>()
        .exec();
      return docs.map((doc) => doc._id);
    });
  }

  findBlocksExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return guarded(async () => {
      const docs = await this.model
        .find({ 'block.expiresAt': { $gt: from, $lte: until } }, WITHOUT_OUTBOX)
        .sort({ 'block.expiresAt': 1, _id: 1 })
        .lean<StoredUser[]>()
        .exec();
      return docs.map((doc) => toPersonalUser(doc, this.clock));
    });
  }
}

function sameProfile(doc: StoredUser, profile: ProvisionProfile): boolean {
  return (
    (doc.displayName ?? null) === profile.displayName &&
    (doc.email ?? null) === profile.email &&
    doc.role === profile.role
  );
}
