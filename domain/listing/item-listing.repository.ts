import type { Page, PageRequest } from '../shared/page';
import type { ItemListing } from './item-listing.aggregate';

export interface ItemListingRepository {
  insert(listing: ItemListing): Promise<void>;
  findById(id: string): Promise<ItemListing | null>;
  /** Newest first. */
  listBySharer(sharerId: string, page: PageRequest): Promise<Page<ItemListing>>;
}
