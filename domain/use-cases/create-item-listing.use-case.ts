import type { Clock } from '../shared/clock';
import { ItemListing, type NewListing } from '../listing/item-listing.aggregate';
import type { ItemListingRepository } from '../listing/item-listing.repository';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { loadViewer } from './load-viewer';
import type { Traced } from './viewer';

export interface CreateItemListingCommand extends Traced {
  input: NewListing;
  /** The listing's id, reserved by an idempotent request (use-cases/idempotent.ts). */
  id?: string;
}

export const createItemListing =
  (deps: { users: PersonalUserRepository; listings: ItemListingRepository; clock: Clock }) =>
  async (command: CreateItemListingCommand): Promise<ItemListing> => {
    const sharer = await loadViewer(deps.users, command.viewer);
    const listing = ItemListing.publish(sharer, command.input, deps.clock, command.id);
    await deps.listings.insert(listing);
    return listing;
  };
