import type { ItemListing } from '../listing/item-listing.aggregate';
import type { ItemListingRepository } from '../listing/item-listing.repository';
import type { ConversationSummary } from '../messaging/conversation';
import type { Message } from '../messaging/message.aggregate';
import type { MessagingRepository } from '../messaging/messaging.repository';
import type { ReservationRequest } from '../reservation/reservation-request.aggregate';
import type { ReservationRequestRepository } from '../reservation/reservation-request.repository';
import type { Page, PageRequest } from '../shared/page';
import { getConversation } from './lookups';
import type { Viewer } from './viewer';

// Reads stay open to blocked members: a block stops acting, not seeing one's own data.

export const listOwnListings =
  (deps: { listings: ItemListingRepository }) =>
  (viewer: Viewer, page: PageRequest): Promise<Page<ItemListing>> =>
    deps.listings.listBySharer(viewer.userId, page);

export const listOwnReservations =
  (deps: { reservations: ReservationRequestRepository }) =>
  (viewer: Viewer, page: PageRequest): Promise<Page<ReservationRequest>> =>
    deps.reservations.listByReserver(viewer.userId, page);

export const listOwnConversations =
  (deps: { messaging: MessagingRepository }) =>
  (viewer: Viewer, page: PageRequest): Promise<Page<ConversationSummary>> =>
    deps.messaging.listConversations(viewer.userId, page);

/** A conversation's messages, to its participants only (NOT_FOUND to anyone else). */
export const listConversationMessages =
  (deps: { messaging: MessagingRepository }) =>
  async (viewer: Viewer, conversationId: string, page: PageRequest): Promise<Page<Message>> => {
    await getConversation(deps)(viewer, conversationId);
    return deps.messaging.listMessages(conversationId, page);
  };
