import { Schema, type Connection, type Model } from 'mongoose';
import type { ReservationRequestProps } from '../../../domain/reservation/reservation-request.aggregate';

/** A reservation request as stored: the aggregate's props with `id` as `_id`. */
export type ReservationRequestDoc = Omit<ReservationRequestProps, 'id'> & { _id: string };

const reservationRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    listingId: { type: String, required: true },
    sharerId: { type: String, required: true },
    reserverId: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    state: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

reservationRequestSchema.index({ reserverId: 1, createdAt: -1, _id: -1 });
reservationRequestSchema.index({ listingId: 1, start: 1 });
// Requests for a sharer's listings, newest first.
reservationRequestSchema.index({ sharerId: 1, createdAt: -1, _id: -1 });

const NAME = 'ReservationRequest';

/** The reservation requests model on `conn`, registered on first use. */
export function reservationRequestModel(conn: Connection): Model<ReservationRequestDoc> {
  return (
    (conn.models[NAME] as Model<ReservationRequestDoc> | undefined) ??
    conn.model<ReservationRequestDoc>(NAME, reservationRequestSchema, 'reservation_requests')
  );
}
