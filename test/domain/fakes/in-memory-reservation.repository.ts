import {
  ReservationRequest,
  type ReservationRequestProps,
  type ReservationState,
} from '../../../domain/reservation/reservation-request.aggregate';
import type { ReservationRequestRepository } from '../../../domain/reservation/reservation-request.repository';
import { ConcurrencyError } from '../../../domain/shared/domain-error';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { CallLog } from './call-log';
import { paginate } from './paginate';

export class InMemoryReservationRepository implements ReservationRequestRepository {
  readonly stored: ReservationRequest[] = [];
  /** The state each request was last saved with. */
  private readonly savedStates = new Map<string, ReservationState>();

  constructor(readonly log: CallLog = new CallLog()) {}

  async insert(request: ReservationRequest): Promise<void> {
    this.log.add(`reservations.insert ${request.id}`);
    this.stored.push(request);
    this.savedStates.set(request.id, request.state);
  }

  async findById(id: string): Promise<ReservationRequest | null> {
    const found = this.stored.find((request) => request.id === id);
    // A copy, as a store would return: the caller's changes stay unsaved until saveState.
    return found ? ReservationRequest.rehydrate(propsOf(found, this.savedStates.get(id)!)) : null;
  }

  async saveState(request: ReservationRequest, previousState: ReservationState): Promise<void> {
    this.log.add(`reservations.saveState ${request.id}`);
    if (this.savedStates.get(request.id) !== previousState) throw new ConcurrencyError('ReservationRequest', request.id);
    this.savedStates.set(request.id, request.state);
  }

  /** The state a request was last saved with. */
  stateOf(id: string): ReservationState | undefined {
    return this.savedStates.get(id);
  }

  async listBySharer(sharerId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return paginate(this.stored.filter((request) => request.sharerId === sharerId).reverse(), page);
  }

  async listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return paginate(this.stored.filter((request) => request.reserverId === reserverId).reverse(), page);
  }

  /** Stores a request directly, bypassing the use case (test set-up). */
  seed(props: ReservationRequestProps): ReservationRequest {
    const request = ReservationRequest.rehydrate(props);
    this.stored.push(request);
    this.savedStates.set(request.id, request.state);
    return request;
  }
}

function propsOf(request: ReservationRequest, state: ReservationState): ReservationRequestProps {
  const { id, listingId, sharerId, reserverId, start, end, createdAt } = request;
  return { id, listingId, sharerId, reserverId, start, end, state, createdAt };
}
