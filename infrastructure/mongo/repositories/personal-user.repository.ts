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
import { MemberKeys } from './member-keys';
import { toPersonalUser, toStoredEvent } from './personal-user.mapper';

type StoredUser = Partial<PersonalUserDoc> & { _id: string };

// Aggregates never need the outbox; only the relay reads it.
const WITHOUT_OUTBOX = { outbox: 0 } as const;
const AGGREGATE = 'PersonalUser';

/**
 * Members in MongoDB, one document each: state, history and outbox change together in
 * one update. Every write to a member document holds its write lease (write-lease.ts).
 */
export class MongoPersonalUserRepository implements PersonalUserRepository {
  private readonly model: Model<PersonalUserDoc>;
  private readonly leases: WriteLeases;
  private readonly keys: MemberKeys;
  /** Provisionings under way here, by externalId. */
  private readonly provisioning = new Map<string, Promise<PersonalUser>>();

  constructor(
    conn: Connection,
    private readonly clock: Clock,
  ) {
    this.model = personalUserModel(conn);
    this.leases = new WriteLeases(conn);
    this.keys = new MemberKeys(conn);
  }

  findById(id: string): Promise<PersonalUser | null> {
    return guarded(async () => {
      const doc = await this.model.findById(id, WITHOUT_OUTBOX).lean<StoredUser>().exec();
      return doc ? toPersonalUser(doc, this.clock) : null;
    });
  }

  /** In the order of `ids`; unknown ids are left out. */
  findManyByIds(ids: readonly string[]): Promise<PersonalUser[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve([]);
    // One id (every subscribe's re-check) is read by id: FerretDB decodes every member
    // for an $in, and MongoDB serves both alike.
    if (unique.length === 1) return this.findById(unique[0]!).then((user) => (user ? [user] : []));
    return guarded(async () => {
      const docs = await this.model.find({ _id: { $in: unique } }, WITHOUT_OUTBOX).lean<StoredUser[]>().exec();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      return unique.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toPersonalUser(doc, this.clock)] : [];
      });
    });
  }

  provision(profile: ProvisionProfile): Promise<PersonalUser> {
    // Sockets of one member tend to connect together: they share one provisioning.
    const pending = this.provisioning.get(profile.externalId);
    // A joiner whose token carries another profile still gets it applied.
    if (pending) {
      return pending.then((user) => (sameProfile(user, profile) ? user : guarded(() => this.provisionOnce(profile))));
    }
    const provisioning = guarded(() => this.provisionOnce(profile)).finally(() =>
      this.provisioning.delete(profile.externalId),
    );
    this.provisioning.set(profile.externalId, provisioning);
    return provisioning;
  }

  /**
   * The member key (member-key.model.ts) is the claim on a subject: whoever inserts it
   * picks the member id, and the member document follows. Nobody searches by externalId,
   * except to adopt a member stored before its key.
   */
  private async provisionOnce(profile: ProvisionProfile): Promise<PersonalUser> {
    const { externalId } = profile;
    const known = await this.keys.find(externalId);
    const memberId = known ?? (await this.keys.claim(externalId, newEntityId(this.clock.now())));
    const doc =
      (known ? await this.model.findById(memberId, WITHOUT_OUTBOX).lean<StoredUser>().exec() : null) ??
      (await this.createMember(memberId, profile));
    this.keys.remember(externalId, doc._id);
    return this.refreshProfile(doc, profile);
  }

  /**
   * Creates the member the key names. Refused: a concurrent claimant created it (read it),
   * or a member with this externalId was stored before its key (adopt it).
   */
  private async createMember(memberId: string, profile: ProvisionProfile): Promise<StoredUser> {
    try {
      return await this.insertMember(memberId, profile);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const created = await this.model.findById(memberId, WITHOUT_OUTBOX).lean<StoredUser>().exec();
    if (created) return created;
    const { externalId } = profile;
    const older = await this.model.findOne({ externalId }, WITHOUT_OUTBOX).lean<StoredUser>().exec();
    if (!older) throw new Error(`member ${externalId} refused but not found`);
    await this.keys.adopt(externalId, older._id);
    return older;
  }

  // A plain insert, not an upsert: FerretDB drops null and [] values of $setOnInsert, and
  // its upsert of an existing document would race with save (see write-lease.ts).
  private async insertMember(memberId: string, profile: ProvisionProfile): Promise<PersonalUserDoc> {
    const doc: PersonalUserDoc = {
      _id: memberId,
      externalId: profile.externalId,
      displayName: profile.displayName,
      email: profile.email,
      role: profile.role,
      block: null,
      restrictions: [],
      blockHistory: [],
      outbox: [],
      version: 0,
      createdAt: this.clock.now(),
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
    const outrun = async () => (await this.storedVersion(user.id)) !== user.version;
    return guarded(() =>
      this.leases.run(
        AGGREGATE,
        user.id,
        async () => {
          // The lease makes this check and the update one step. The filter is the id alone
          // because FerretDB decodes every document for any other filter.
          if ((await this.storedVersion(user.id)) !== user.version) throw new ConcurrencyError(AGGREGATE, user.id);
          // Profile fields are provisioning's: never written here, so neither writer undoes
          // the other's change.
          await this.model
            .updateOne(
              { _id: user.id },
              {
                $set: { block: user.storedBlock, restrictions: [...user.storedRestrictions] },
                $push: {
                  blockHistory: { $each: [...user.newHistoryEntries] },
                  outbox: { $each: user.newEvents.map(toStoredEvent) },
                },
                $inc: { version: 1 },
              },
            )
            .exec();
        },
        outrun,
      ),
    );
  }

  private async storedVersion(userId: string): Promise<number | null> {
    const doc = await this.model.findById(userId, { version: 1 }).lean<{ version: number }>().exec();
    return doc?.version ?? null;
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
            // This order on purpose: FerretDB tests each document's conditions in order and
            // stops at the first miss, so most members cost one null test, not an $in of
            // thousands of ids. MongoDB's planner uses the _id index whatever the order.
            block: { $ne: null },
            $or: [{ 'block.expiresAt': null }, { 'block.expiresAt': { $gt: now } }],
            _id: { $in: [...new Set(ids)] },
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

  findRestrictionsExpiringBetween(from: Date, until: Date): Promise<PersonalUser[]> {
    return guarded(async () => {
      const docs = await this.model
        .find({ restrictions: { $elemMatch: { expiresAt: { $gt: from, $lte: until } } } }, WITHOUT_OUTBOX)
        .lean<StoredUser[]>()
        .exec();
      return docs.map((doc) => toPersonalUser(doc, this.clock));
    });
  }

  findByRestrictionId(restrictionId: string): Promise<PersonalUser | null> {
    return guarded(async () => {
      const doc = await this.model.findOne({ 'restrictions.id': restrictionId }, WITHOUT_OUTBOX).lean<StoredUser>().exec();
      return doc ? toPersonalUser(doc, this.clock) : null;
    });
  }
}

function sameProfile(doc: Pick<StoredUser, 'displayName' | 'email' | 'role'>, profile: ProvisionProfile): boolean {
  return (
    (doc.displayName ?? null) === profile.displayName &&
    (doc.email ?? null) === profile.email &&
    doc.role === profile.role
  );
}
