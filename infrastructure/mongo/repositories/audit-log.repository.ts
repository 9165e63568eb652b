import mongoose, { type Connection, type Model } from 'mongoose';
import type { AuditEntry, AuditFilter, AuditLogReader, DailyCount } from '../../../domain/audit/audit-entry';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { guarded } from '../mongo-errors';
import { auditEntryModel, type AuditEntryDoc } from '../models/audit-entry.model';
import { decodeCursor, encodeCursor, type CursorPosition } from './page-cursor';

type Query = Record<string, unknown>;

/**
 * The audit trail in MongoDB: one document per entry, written in batches by the recorder
 * and read newest first with keyset pagination on (at, _id).
 */
export class MongoAuditLogRepository implements AuditLogReader {
  private readonly model: Model<AuditEntryDoc>;

  constructor(conn: Connection) {
    this.model = auditEntryModel(conn);
  }

  /**
   * Inserts the entries in one unordered write and returns those stored now: an entry
   * whose `_id` is already there (the same idempotency key) is left out, not an error.
   */
  insertMany(entries: readonly AuditEntry[]): Promise<AuditEntry[]> {
    return guarded(async () => {
      if (entries.length === 0) return [];
      try {
        // The driver's collection, typed for ObjectId ids; ours are strings.
        await this.model.collection.insertMany(entries.map(toDoc) as never[], { ordered: false });
        return [...entries];
      } catch (error) {
        const duplicates = duplicateIndexes(error);
        if (!duplicates) throw error;
        return entries.filter((_, index) => !duplicates.has(index));
      }
    });
  }

  /** One range scan of `{ at: -1, _id: -1 }`, grouped by the store. */
  countByDay(since: Date, until: Date): Promise<DailyCount[]> {
    return guarded(async () => {
      const groups = await this.model
        .aggregate<{ _id: { day: string; type: DailyCount['type'] }; count: number }>([
          { $match: { at: { $gte: since, $lt: until } } },
          {
            $group: {
              _id: { day: { $dateToString: { format: '%Y-%m-%d', date: '$at' } }, type: '$type' },
              count: { $sum: 1 },
            },
          },
        ])
        .exec();
      return groups
        .map((group) => ({ day: group._id.day, type: group._id.type, count: group.count }))
        .sort((a, b) => a.day.localeCompare(b.day) || a.type.localeCompare(b.type));
    });
  }

  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    return guarded(async () => {
      const after = page.after ? decodeCursor(page.after) : null;
      const docs = await this.model
        .find(auditQuery(filter, after))
        .sort({ at: -1, _id: -1 })
        .limit(page.first + 1)
        .lean<AuditEntryDoc[]>()
        .exec();
      const items = docs.slice(0, page.first).map(toEntry);
      const last = items.at(-1);
      return {
        items,
        hasNextPage: docs.length > page.first,
        endCursor: last ? encodeCursor({ at: last.at, id: last.id }) : null,
      };
    });
  }
}

/**
 * The query of one page. Each condition lands where an index can bound it: equality on
 * type/actorId/targetId, then a range on `at` (since, until and the cursor's `at` as
 * `$lte`), and only the cursor's tie-break on `_id` as a residual `$or`. A userId filter
 * is a top-level `$or` of an actor branch and a target branch, each carrying every other
 * condition, so each branch is one bounded index scan and MongoDB merges them in order.
 */
export function auditQuery(filter: AuditFilter, after: CursorPosition | null): Query {
  const conditions: Query = {};
  const types = filter.types ?? null;
  if (types && types.length === 1) conditions.type = types[0];
  else if (types && types.length > 1) conditions.type = { $in: [...types] };

  const at: Query = {};
  if (filter.since) at.$gte = filter.since;
  if (filter.until) at.$lt = filter.until;
  if (after) at.$lte = after.at;
  if (Object.keys(at).length > 0) conditions.at = at;
  if (after) conditions.$or = [{ at: { $lt: after.at } }, { _id: { $lt: after.id } }];

  if (!filter.userId) return conditions;
  return { $or: [{ actorId: filter.userId, ...conditions }, { targetId: filter.userId, ...conditions }] };
}

/** The indexes of duplicate-key write errors when those are all there is, else null. */
function duplicateIndexes(error: unknown): Set<number> | null {
  if (!(error instanceof mongoose.mongo.MongoBulkWriteError)) return null;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== 11000)) return null;
  return new Set(writeErrors.map((writeError) => writeError.index));
}

function toDoc(entry: AuditEntry): AuditEntryDoc {
  return {
    _id: entry.id,
    type: entry.type,
    actorId: entry.actorId,
    targetId: entry.targetId,
    reason: entry.reason,
    at: entry.at,
    instance: entry.instance,
    correlationId: entry.correlationId,
    details: entry.details,
    ...(entry.idempotencyKey === undefined ? {} : { idempotencyKey: entry.idempotencyKey }),
  };
}

export function toEntry(doc: AuditEntryDoc): AuditEntry {
  return {
    id: doc._id,
    type: doc.type,
    actorId: doc.actorId ?? null,
    targetId: doc.targetId ?? null,
    reason: doc.reason ?? null,
    at: doc.at,
    instance: doc.instance,
    correlationId: doc.correlationId,
    details: doc.details ?? {},
    ...(doc.idempotencyKey === undefined ? {} : { idempotencyKey: doc.idempotencyKey }),
  };
}
