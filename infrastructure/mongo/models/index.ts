import type { Connection, Model } from 'mongoose';
import { appealModel } from './appeal.model';
import { auditEntryModel } from './audit-entry.model';
import { conversationModel } from './conversation.model';
import { itemListingModel } from './item-listing.model';
import { messageModel } from './message.model';
import { personalUserModel } from './personal-user.model';
import { reservationRequestModel } from './reservation-request.model';

/** Registers every model on `conn` and returns them, for index creation at start. */
export function registerModels(conn: Connection): Model<unknown>[] {
  return [
    personalUserModel(conn),
    itemListingModel(conn),
    reservationRequestModel(conn),
    messageModel(conn),
    conversationModel(conn),
    appealModel(conn),
    auditEntryModel(conn),
  ] as unknown as Model<unknown>[];
}
