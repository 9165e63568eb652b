import type { Connection, Model } from 'mongoose';
import type { Clock } from '../../../domain/shared/clock';
import { ConcurrencyError } from '../../../domain/shared/domain-error';
import { newEntityId } from '../../../domain/shared/entity-id';
import type { PersonalUser } from '../../../domain/user/personal-user.aggregate';
import type { PersonalUserRepository, ProvisionProfile } from '../../../domain/user/personal-user.repository';
import type { UserEvent } from '../../../domain/user/user.events';
import { guarded, isDuplicateKeyError } from '../mongo-errors';
import { personalUserModel, type PersonalUserDoc } from '../models/personal-user.model';
import { toPersonalUser, toStoredEvent } from './personal-user.mapper';

type StoredUser = Partial<PersonalUserDoc> & { _id: string };

// Aggregates never need the outbox; only the relay reads it.
const WITHOUT_OUTBOX = { outbox: 0 } as const;
// Concurrent first provisions race on the unique externalId; the losers then match.
const PROVISION_ATTEMPTS = 3;

/** Members in MongoDB, one document each: state, history and outbox change together. */
export class MongoPersonalUserRepository implements PersonalUserRepository {
  private readonly model: Model<PersonalUserDoc>;

  constructor(
    conn: Connection,
    private readonly clock: Clock,
  ) {
    this.model = personalUserModel(conn);
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
      if (ids.length === 0) return [];
      const docs = await this.model
        .find({ _id: { $in: [...new Set(ids)] } }, WITHOUT_OUTBOX)
        .lean<StoredUser[]>()
        .exec();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      return [...new Set(ids)].flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toPersonalUser(doc, this.clock)] : [];
      });
    });
  }

  provision(profile: ProvisionProfile): Promise<PersonalUser> {
    return guarded(async () => {
      const existing = await this.model
        .findOne({ externalId: profile.externalId }, WITHOUT_OUTBOX)
        .lean<StoredUser>()
        .exec();
      if (existing && sameProfile(existing, profile)) return toPersonalUser(existing, this.clock);
      for (let attempt = 1; ; attempt++) {
        try {
          return toPersonalUser(await this.upsertProfile(profile), this.clock);
        } catch (error) {
          if (!isDuplicateKeyError(error) || attempt >= PROVISION_ATTEMPTS) throw error;
        }
      }
    });
  }

  private async upsertProfile(profile: ProvisionProfile): Promise<StoredUser> {
    const now = this.clock.now();
    const doc = await this.model
      .findOneAndUpdate(
        { externalId: profile.externalId },
        {
          $setOnInsert: {
            _id: newEntityId(now),
            createdAt: now,
            version: 0,
            block: null,
            blockHistory: [],
            outbox: [],
          },
          $set: { displayName: profile.displayName, email: profile.email, role: profile.role },
        },
        // No projection: FerretDB's findAndModify does not implement one.
        { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
      )
      .lean<StoredUser>()
      .exec();
    if (!doc) throw new Error(`Upsert of member ${profile.externalId} returned nothing`);
    return doc;
  }

  save(user: PersonalUser): Promise<void> {
    return guarded(async () => {
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
      if (result.matchedCount === 0) throw new ConcurrencyError('PersonalUser', user.id);
    });
  }

  markEventsPublished(userId: string, eventIds: readonly string[]): Promise<void> {
    return guarded(async () => {
      if (eventIds.length === 0) return;
      const doc = await this.model.findById(userId, { outbox: 1 }).lean<StoredUser>().exec();
      const published = new Set(eventIds);
      const entries = (doc?.outbox ?? []).filter((event) => published.has(event.id));
      if (entries.length === 0) return;
      // $pullAll of the exact stored entries, not $pull by condition: FerretDB ignores
      // $pull conditions on embedded documents. Entries pushed meanwhile are untouched.
      await this.model.updateOne({ _id: userId }, { $pullAll: { outbox: entries } }).exec();
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
