import type { ItemListingRepository } from '../listing/item-listing.repository';
import type { ReservationRequest } from '../reservation/reservation-request.aggregate';
import type { ReservationRequestRepository } from '../reservation/reservation-request.repository';
import { reservationErrors } from '../reservation/reservation.errors';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { loadViewer } from './load-viewer';
import type { Traced } from './viewer';

export interface ReservationDecisionCommand extends Traced {
  requestId: string;
}

type Deps = { users: PersonalUserRepository; reservations: ReservationRequestRepository };

async function loadRequest(deps: Deps, id: string): Promise<ReservationRequest> {
  const request = await deps.reservations.findById(id);
  if (!request) throw reservationErrors.notFound();
  return request;
}

/**
 * The sharer accepts a pending request (a UserAction: blocks and restrictions refuse it;
 * the listing's category decides category-scoped restrictions).
 */
export const acceptReservationRequest =
  (deps: Deps & { listings: Pick<ItemListingRepository, 'findById'> }) =>
  async (command: ReservationDecisionCommand): Promise<ReservationRequest> => {
    const sharer = await loadViewer(deps.users, command.viewer);
    const request = await loadRequest(deps, command.requestId);
    const previous = request.state;
    const listing = request.sharerId === sharer.id ? await deps.listings.findById(request.listingId) : null;
    request.accept(sharer, listing?.category ?? null);
    await deps.reservations.saveState(request, previous);
    return request;
  };

/** The sharer declines a pending request; open to blocked and restricted sharers too. */
export const declineReservationRequest =
  (deps: Deps) =>
  async (command: ReservationDecisionCommand): Promise<ReservationRequest> => {
    const request = await loadRequest(deps, command.requestId);
    const previous = request.state;
    request.decline(command.viewer.userId);
    await deps.reservations.saveState(request, previous);
    return request;
  };

/** The reserver withdraws a request; open to blocked and restricted reservers too. */
export const cancelReservationRequest =
  (deps: Deps) =>
  async (command: ReservationDecisionCommand): Promise<ReservationRequest> => {
    const request = await loadRequest(deps, command.requestId);
    const previous = request.state;
    request.cancel(command.viewer.userId);
    await deps.reservations.saveState(request, previous);
    return request;
  };
