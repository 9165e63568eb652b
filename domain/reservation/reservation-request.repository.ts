import type { Page, PageRequest } from '../shared/page';
import type { ReservationRequest } from './reservation-request.aggregate';

export interface ReservationRequestRepository {
  insert(request: ReservationRequest): Promise<void>;
  /** Newest first. */
  listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>>;
}
