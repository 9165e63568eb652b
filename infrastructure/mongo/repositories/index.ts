import type { Connection } from 'mongoose';
import type { AppealRepository } from '../../../domain/appeals/appeal.repository';
import type { ItemListingRepository } from '../../../domain/listing/item-listing.repository';
import type { MessagingRepository } from '../../../domain/messaging/messaging.repository';
import type { ReservationRequestRepository } from '../../../domain/reservation/reservation-request.repository';
import type { Clock } from '../../../domain/shared/clock';
import type { PersonalUserRepository } from '../../../domain/user/personal-user.repository';
import type { MemberDirectory } from '../../../domain/user/member-directory';
import { MongoAppealRepository } from './appeal.repository';
import { MongoMemberDirectory } from './member-directory';
import { MongoItemListingRepository } from './item-listing.repository';
import { MongoMessagingRepository } from './messaging.repository';
import { MongoPersonalUserRepository } from './personal-user.repository';
import { MongoReservationRequestRepository } from './reservation-request.repository';

/** Every port the domain persists through, on one MongoDB connection. */
export interface MongoRepositories {
  users: PersonalUserRepository;
  listings: ItemListingRepository;
  reservations: ReservationRequestRepository;
  messaging: MessagingRepository;
  appeals: AppealRepository;
  members: MemberDirectory;
}

/** The repositories on `conn` (from connectMongo, so its indexes exist). */
export function createMongoRepositories(conn: Connection, clock: Clock): MongoRepositories {
  return {
    users: new MongoPersonalUserRepository(conn, clock),
    listings: new MongoItemListingRepository(conn),
    reservations: new MongoReservationRequestRepository(conn),
    messaging: new MongoMessagingRepository(conn),
    appeals: new MongoAppealRepository(conn),
    members: new MongoMemberDirectory(conn, clock),
  };
}

export {
  MongoItemListingRepository,
  MongoMessagingRepository,
  MongoPersonalUserRepository,
  MongoReservationRequestRepository,
};
