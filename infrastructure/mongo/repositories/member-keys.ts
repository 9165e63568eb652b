import type { Connection, Model } from 'mongoose';
import { MEMBER_ID_CACHE_SIZE } from '../../config/limits';
import { isDuplicateKeyError } from '../mongo-errors';
import { memberKeyModel, type MemberKeyDoc } from '../models/member-key.model';
import { BoundedMap } from '../../shared/bounded-map';

/**
 * Which member a token subject is: `member_keys` (member-key.model.ts says why it exists),
 * remembered per instance because the answer never changes once the member exists.
 */
export class MemberKeys {
  private readonly model: Model<MemberKeyDoc>;
  private readonly known = new BoundedMap<string, string>(MEMBER_ID_CACHE_SIZE);

  constructor(conn: Connection) {
    this.model = memberKeyModel(conn);
  }

  /** The member id of a subject seen before; null for a newcomer. */
  async find(externalId: string): Promise<string | null> {
    const cached = this.known.get(externalId);
    if (cached) return cached;
    const key = await this.model.findById(externalId, { memberId: 1 }).lean<MemberKeyDoc>().exec();
    return key?.memberId ?? null;
  }

  /** Claims the subject for `memberId`; resolves to the id of whoever claimed it first. */
  async claim(externalId: string, memberId: string): Promise<string> {
    try {
      await this.model.insertOne({ _id: externalId, memberId });
      return memberId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const claimed = await this.find(externalId);
    if (!claimed) throw new Error(`member key of ${externalId} refused but not found`);
    return claimed;
  }

  /** Points the subject at a member stored before its key: the one change a key ever gets. */
  async adopt(externalId: string, memberId: string): Promise<void> {
    await this.model.updateOne({ _id: externalId }, { $set: { memberId } }).exec();
  }

  /** Once the member document exists. */
  remember(externalId: string, memberId: string): void {
    this.known.set(externalId, memberId);
  }
}
