import type { Connection, Model } from 'mongoose';
import { ReservationRequest, type ReservationState } from '../../../domain/reservation/reservation-request.aggregate';
import { ConcurrencyError } from '../../../domain/shared/domain-error';
import type { ReservationRequestRepository } from '../../../domain/reservation/reservation-request.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { guarded } from '../mongo-errors';
import { reservationRequestModel, type ReservationRequestDoc } from '../models/reservation-request.model';
import { findKeysetPage } from './keyset-page';

/** Reservation requests in MongoDB. */
export class MongoReservationRequestRepository implements ReservationRequestRepository {
  private readonly model: Model<ReservationRequestDoc>;

  constructor(conn: Connection) {
    this.model = reservationRequestModel(conn);
  }

  insert(request: ReservationRequest): Promise<void> {
    return guarded(async () => {
      await this.model.insertOne({
        _id: request.id,
        listingId: request.listingId,
        sharerId: request.sharerId,
        reserverId: request.reserverId,
        start: request.start,
        end: request.end,
        state: request.state,
        createdAt: request.createdAt,
      });
    });
  }

  findById(id: string): Promise<ReservationRequest | null> {
    return guarded(async () => {
      const doc = await this.model.findById(id).lean<ReservationRequestDoc>().exec();
      return doc ? toRequest(doc) : null;
    });
  }

  saveState(request: ReservationRequest, previousState: ReservationState): Promise<void> {
    return guarded(async () => {
      const result = await this.model
        .updateOne({ _id: request.id, state: previousState }, { $set: { state: request.state } })
        .exec();
      if (result.matchedCount === 0) throw new ConcurrencyError('ReservationRequest', request.id);
    });
  }

  listBySharer(sharerId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return guarded(() => findKeysetPage(this.model, { sharerId }, 'createdAt', page, toRequest));
  }

  listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return guarded(() => findKeysetPage(this.model, { reserverId }, 'createdAt', page, toRequest));
  }
}

function toRequest(doc: ReservationRequestDoc): ReservationRequest {
  return ReservationRequest.rehydrate({
    id: doc._id,
    listingId: doc.listingId,
    sharerId: doc.sharerId,
    reserverId: doc.reserverId,
    start: doc.start,
    end: doc.end,
    state: doc.state,
    createdAt: doc.createdAt,
  });
}
