import { ItemListing } from '../../../domain/listing/item-listing.aggregate';
import type { ItemListingRepository, ListingFilter } from '../../../domain/listing/item-listing.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { CallLog } from './call-log';
import { paginate } from './paginate';

export class InMemoryListingRepository implements ItemListingRepository {
  readonly stored: ItemListing[] = [];

  constructor(readonly log: CallLog = new CallLog()) {}

  async insert(listing: ItemListing): Promise<void> {
    this.log.add(`listings.insert ${listing.id}`);
    this.stored.push(listing);
  }

  async findById(id: string): Promise<ItemListing | null> {
    this.log.add(`listings.findById ${id}`);
    return this.stored.find((listing) => listing.id === id) ?? null;
  }

  async browse(filter: ListingFilter, page: PageRequest): Promise<Page<ItemListing>> {
    const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const found = this.stored.filter(
      (listing) =>
        (!filter.category || listing.category === filter.category) &&
        words.every((word) => `${listing.title} ${listing.description}`.toLowerCase().includes(word)),
    );
    return paginate([...found].reverse(), page);
  }

  async listBySharer(sharerId: string, page: PageRequest): Promise<Page<ItemListing>> {
    const own = this.stored.filter((listing) => listing.sharerId === sharerId).reverse();
    return paginate(own, page);
  }

  /** Stores a listing directly, bypassing the use case (test set-up). */
  seed(props: { id: string; sharerId: string; createdAt: Date }): ItemListing {
    const listing = ItemListing.rehydrate({
      title: 'Cordless drill',
      description: 'Works fine, two batteries',
      category: 'Tools',
      location: 'Ghent',
      ...props,
    });
    this.stored.push(listing);
    return listing;
  }
}
