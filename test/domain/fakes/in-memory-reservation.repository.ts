import type { ReservationRequest } from '../../../domain/reservation/reservation-request.aggregate';
import type { ReservationRequestRepository } from '../../../domain/reservation/reservation-request.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { CallLog } from './call-log';
import { paginate } from './paginate';

export class InMemoryReservationRepository implements ReservationRequestRepository {
  readonly stored: ReservationRequest[] = [];

  constructor(readonly log: CallLog = new CallLog()) {}

  async insert(request: ReservationRequest): Promise<void> {
    this.log.add(`reservations.insert ${request.id}`);
    this.stored.push(request);
  }

  async findById(id: string): Promise<ReservationRequest | null> {
    return this.stored.find((request) => request.id === id) ?? null;
  }

  async listByReserver(reserverId: string, page: PageRequest): Promise<Page<ReservationRequest>> {
    return paginate(this.stored.filter((request) => request.reserverId === reserverId).reverse(), page);
  }
}
