import { NotFoundError, ValidationError } from '../shared/domain-error';
import type { ReservationState } from './reservation-request.aggregate';

export const reservationErrors = {
  notFound: () => new NotFoundError('RESERVATION.NOT_FOUND', 'No such reservation request'),
  notIn: (state: ReservationState, target: ReservationState) =>
    new ValidationError('RESERVATION.WRONG_STATE', `A ${state} request cannot become ${target}`, 'requestId'),
};
