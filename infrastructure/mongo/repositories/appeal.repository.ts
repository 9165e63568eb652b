import type { Connection, Model } from 'mongoose';
import { Appeal } from '../../../domain/appeals/appeal.aggregate';
import { appealErrors } from '../../../domain/appeals/appeal.errors';
import type { AppealRepository } from '../../../domain/appeals/appeal.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { guarded, isDuplicateKeyError } from '../mongo-errors';
import { appealModel, type AppealDoc } from '../models/appeal.model';
import { findKeysetPage } from './keyset-page';

/** Appeals in MongoDB; the unique blockKey index makes "one appeal per block" hold. */
export class MongoAppealRepository implements AppealRepository {
  private readonly model: Model<AppealDoc>;

  constructor(conn: Connection) {
    this.model = appealModel(conn);
  }

  insert(appeal: Appeal): Promise<void> {
    return guarded(async () => {
      try {
        await this.model.insertOne(toDoc(appeal));
      } catch (error) {
        if (isDuplicateKeyError(error)) throw appealErrors.alreadyFiled();
        throw error;
      }
    });
  }

  findById(id: string): Promise<Appeal | null> {
    return guarded(async () => {
      const doc = await this.model.findById(id).lean<AppealDoc>().exec();
      return doc ? toAppeal(doc) : null;
    });
  }

  findByBlockKey(blockKey: string): Promise<Appeal | null> {
    return guarded(async () => {
      const doc = await this.model.findOne({ blockKey }).lean<AppealDoc>().exec();
      return doc ? toAppeal(doc) : null;
    });
  }

  listOpen(page: PageRequest): Promise<Page<Appeal>> {
    return guarded(() => findKeysetPage(this.model, { state: 'OPEN' }, 'createdAt', page, toAppeal));
  }

  /** One conditional update: of two deciders, exactly one finds the appeal still OPEN. */
  saveDecision(appeal: Appeal): Promise<boolean> {
    const { state, decidedAt, decidedBy, decisionNote } = appeal;
    return guarded(async () => {
      const result = await this.model.updateOne(
        { _id: appeal.id, state: 'OPEN' },
        { $set: { state, decidedAt, decidedBy, decisionNote } },
      );
      return result.modifiedCount === 1;
    });
  }
}

function toDoc(appeal: Appeal): AppealDoc {
  return {
    _id: appeal.id,
    userId: appeal.userId,
    blockKey: appeal.blockKey,
    blockReason: appeal.blockReason,
    blockedAt: appeal.blockedAt,
    message: appeal.message,
    state: appeal.state,
    createdAt: appeal.createdAt,
    decidedAt: appeal.decidedAt,
    decidedBy: appeal.decidedBy,
    decisionNote: appeal.decisionNote,
  };
}

function toAppeal(doc: AppealDoc): Appeal {
  const { _id, ...props } = doc;
  return Appeal.rehydrate({ id: _id, ...props });
}
