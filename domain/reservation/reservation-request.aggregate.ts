import type { Clock } from '../shared/clock';
import { ValidationError } from '../shared/domain-error';
import { newEntityId } from '../shared/entity-id';
import type { ItemListing } from '../listing/item-listing.aggregate';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { reservationErrors } from './reservation.errors';

export type ReservationState = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'CANCELLED';

export interface ReservationRequestProps {
  id: string;
  listingId: string;
  /** The listing's sharer, copied at request time: "requests for my listings" reads by it. */
  sharerId: string;
  reserverId: string;
  start: Date;
  end: Date;
  state: ReservationState;
  createdAt: Date;
}

/** A member's request to borrow another member's item for a period. */
export class ReservationRequest {
  private constructor(private readonly props: ReservationRequestProps) {}

  /** Requests `listing` for [start, end); the reserver's block or a restriction refuses it. `id`: as ItemListing.publish. */
  static request(
    reserver: PersonalUser,
    listing: ItemListing,
    period: { start: Date; end: Date },
    clock: Clock,
    id?: string,
  ): ReservationRequest {
    reserver.validateUserCanPerformAction('REQUEST_RESERVATION', { category: listing.category });
    if (listing.sharerId === reserver.id) {
      throw new ValidationError('RESERVATION.OWN_LISTING', 'You cannot reserve your own listing', 'listingId');
    }
    const now = clock.now();
    if (Number.isNaN(period.start.getTime()) || Number.isNaN(period.end.getTime())) {
      throw new ValidationError('RESERVATION.INVALID_DATE', 'The period needs real dates', 'start');
    }
    if (period.end.getTime() <= period.start.getTime()) {
      throw new ValidationError('RESERVATION.REVERSED_PERIOD', 'The period must end after it starts', 'end');
    }
    if (period.start.getTime() < now.getTime()) {
      throw new ValidationError('RESERVATION.PAST_PERIOD', 'The period must not start in the past', 'start');
    }
    return new ReservationRequest({
      id: id ?? newEntityId(now),
      listingId: listing.id,
      sharerId: listing.sharerId,
      reserverId: reserver.id,
      start: period.start,
      end: period.end,
      state: 'PENDING',
      createdAt: now,
    });
  }

  static rehydrate(props: ReservationRequestProps): ReservationRequest {
    return new ReservationRequest({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get listingId(): string {
    return this.props.listingId;
  }
  get sharerId(): string {
    return this.props.sharerId;
  }
  get reserverId(): string {
    return this.props.reserverId;
  }
  get start(): Date {
    return this.props.start;
  }
  get end(): Date {
    return this.props.end;
  }
  get state(): ReservationState {
    return this.props.state;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }

  /**
   * The sharer accepts a pending request. Accepting is a UserAction: a block or a
   * restriction of the sharer (in `listingCategory`, when scoped) refuses it. Anyone but
   * the sharer gets NOT_FOUND.
   */
  accept(sharer: PersonalUser, listingCategory: string | null = null): void {
    this.requireParty(sharer.id, this.props.sharerId);
    sharer.validateUserCanPerformAction('ACCEPT_RESERVATION', { category: listingCategory });
    this.moveFrom(['PENDING'], 'ACCEPTED');
  }

  /** The sharer declines a pending request; open to every sharer, blocked or not. */
  decline(sharerId: string): void {
    this.requireParty(sharerId, this.props.sharerId);
    this.moveFrom(['PENDING'], 'REJECTED');
  }

  /** The reserver withdraws a pending or accepted request; open to every reserver. */
  cancel(reserverId: string): void {
    this.requireParty(reserverId, this.props.reserverId);
    this.moveFrom(['PENDING', 'ACCEPTED'], 'CANCELLED');
  }

  private requireParty(callerId: string, partyId: string): void {
    // Someone else's request is not revealed to exist.
    if (callerId !== partyId) throw reservationErrors.notFound();
  }

  private moveFrom(from: readonly ReservationState[], to: ReservationState): void {
    if (!from.includes(this.props.state)) throw reservationErrors.notIn(this.props.state, to);
    this.props.state = to;
  }
}
