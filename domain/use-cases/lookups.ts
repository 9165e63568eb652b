import type { ItemListing } from '../listing/item-listing.aggregate';
import type { ItemListingRepository } from '../listing/item-listing.repository';
import type { ConversationSummary } from '../messaging/conversation';
import type { MessagingRepository } from '../messaging/messaging.repository';
import { messagingErrors } from '../messaging/messaging.errors';
import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import type { Viewer } from './viewer';

/** Members referenced by what a client reads (sharer, sender, blockedBy…). */
export const lookupUsers =
  (deps: { users: PersonalUserRepository }) =>
  (ids: readonly string[]): Promise<PersonalUser[]> =>
    deps.users.findManyByIds(ids);

export const lookupListing =
  (deps: { listings: ItemListingRepository }) =>
  (id: string): Promise<ItemListing | null> =>
    deps.listings.findById(id);

/** One of the viewer's conversations; NOT_FOUND for anyone else's. */
export const getConversation =
  (deps: { messaging: MessagingRepository }) =>
  async (viewer: Viewer, id: string): Promise<ConversationSummary> => {
    const conversation = await deps.messaging.findConversation(id);
    if (!conversation || !conversation.participantIds.includes(viewer.userId)) {
      throw messagingErrors.conversationNotFound();
    }
    return conversation;
  };
