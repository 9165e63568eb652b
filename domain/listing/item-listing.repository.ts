import type { Page, PageRequest } from '../shared/page';
import type { ItemListing } from './item-listing.aggregate';

export interface ListingFilter {
  /** Exact category; null: all. */
  category: string | null;
  /** Words that must all appear in the title or description, any case; null: any. */
  search: string | null;
}

export interface ItemListingRepository {
  insert(listing: ItemListing): Promise<void>;
  findById(id: string): Promise<ItemListing | null>;
  /** Every member's listings, newest first, narrowed by category and a text in the title. */
  browse(filter: ListingFilter, page: PageRequest): Promise<Page<ItemListing>>;
  /** Newest first. */
  listBySharer(sharerId: string, page: PageRequest): Promise<Page<ItemListing>>;
}
