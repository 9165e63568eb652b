import type { Clock } from '../shared/clock';
import type { ItemListingRepository } from '../listing/item-listing.repository';
import { listingErrors } from '../listing/listing.errors';
import { ReservationRequest } from '../reservation/reservation-request.aggregate';
import type { ReservationRequestRepository } from '../reservation/reservation-request.repository';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { loadViewer } from './load-viewer';
import type { Traced } from './viewer';

export interface RequestReservationCommand extends Traced {
  listingId: string;
  start: Date;
  end: Date;
  /** The request's id, reserved by an idempotent request (use-cases/idempotent.ts). */
  id?: string;
}

export const requestReservation =
  (deps: {
    users: PersonalUserRepository;
    listings: ItemListingRepository;
    reservations: ReservationRequestRepository;
    clock: Clock;
  }) =>
  async (command: RequestReservationCommand): Promise<ReservationRequest> => {
    const reserver = await loadViewer(deps.users, command.viewer);
    // The guard runs before the listing is even looked up: a blocked member learns
    // nothing about listings through this path. Category-scoped restrictions are checked
    // again once the listing's category is known (ReservationRequest.request).
    reserver.validateUserCanPerformAction('REQUEST_RESERVATION');
    const listing = await deps.listings.findById(command.listingId);
    if (!listing) throw listingErrors.notFound();
    const request = ReservationRequest.request(reserver, listing, command, deps.clock, command.id);
    await deps.reservations.insert(request);
    return request;
  };
