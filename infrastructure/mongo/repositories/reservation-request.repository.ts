import type { Connection, Model } from 'mongoose';
import { ReservationRequest } from '../../../domain/reservation/reservation-request.aggregate';
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

  listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return guarded(() => findKeysetPage(this.model, { reserverId }, 'createdAt', page, toRequest));
  }
}

function toRequest(doc: ReservationRequestDoc): ReservationRequest {
  return ReservationRequest.rehydrate({
    id: doc._id,
    listingId: doc.listingId,
    reserverId: doc.reserverId,
    start: doc.start,
    end: doc.end,
    state: doc.state,
    createdAt: doc.createdAt,
  });
}
