import type { Page, PageRequest } from '../shared/page';
import type { ReservationRequest, ReservationState } from './reservation-request.aggregate';

export interface ReservationRequestRepository {
  insert(request: ReservationRequest): Promise<void>;
  findById(id: string): Promise<ReservationRequest | null>;
  /**
   * Writes the request's new state only if it is still `previousState`; else throws
   * ConcurrencyError (two decisions raced: the first wins).
   */
  saveState(request: ReservationRequest, previousState: ReservationState): Promise<void>;
  /** Requests for the listings `sharerId` shares, newest first. */
  listBySharer(sharerId: string, page: PageRequest): Promise<Page<ReservationRequest>>;
  /** Newest first. */
  listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>>;
}
