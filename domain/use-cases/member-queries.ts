import type { ItemListing } from '../listing/item-listing.aggregate';
import type { ItemListingRepository, ListingFilter } from '../listing/item-listing.repository';
import { listingErrors } from '../listing/listing.errors';
import { ValidationError } from '../shared/domain-error';
import { TEXT_LIMITS } from '../shared/text-limits';
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

/** Every member's listings, to every member (blocked ones too: a block stops acting). */
export const browseListings =
  (deps: { listings: ItemListingRepository }) =>
  (filter: ListingFilter, page: PageRequest): Promise<Page<ItemListing>> => {
    const search = filter.search?.trim() || null;
    if (search && search.length > TEXT_LIMITS.searchText) {
      throw new ValidationError('INPUT.SEARCH_TOO_LONG', `search is at most ${TEXT_LIMITS.searchText} characters`, 'search');
    }
    return deps.listings.browse({ category: filter.category?.trim() || null, search }, page);
  };

/** One listing; NOT_FOUND when there is none. */
export const getListing =
  (deps: { listings: ItemListingRepository }) =>
  async (id: string): Promise<ItemListing> => {
    const listing = await deps.listings.findById(id);
    if (!listing) throw listingErrors.notFound();
    return listing;
  };

/** Requests other members made for the viewer's listings, newest first. */
export const listRequestsForOwnListings =
  (deps: { reservations: ReservationRequestRepository }) =>
  (viewer: Viewer, page: PageRequest): Promise<Page<ReservationRequest>> =>
    deps.reservations.listBySharer(viewer.userId, page);
