import type { Page, PageRequest } from '../shared/page';
import type { ReservationRequest } from './reservation-request.aggregate';

export interface ReservationRequestRepository {
  insert(request: ReservationRequest): Promise<void>;
  findById(id: string): Promise<ReservationRequest | null>;
  /** Newest first. */
  listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>>;
}
