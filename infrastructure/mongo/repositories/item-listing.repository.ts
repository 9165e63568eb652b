import type { Connection, Model, QueryFilter, mongo } from 'mongoose';
import { ItemListing } from '../../../domain/listing/item-listing.aggregate';
import type { ItemListingRepository, ListingFilter } from '../../../domain/listing/item-listing.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { guarded } from '../mongo-errors';
import { driverCollection } from '../models/driver-collection';
import { itemListingModel, type ItemListingDoc } from '../models/item-listing.model';
import { findKeysetPage } from './keyset-page';

/** Item listings in MongoDB. */
export class MongoItemListingRepository implements ItemListingRepository {
  private readonly model: Model<ItemListingDoc>;
  /** Inserts skip mongoose's document validation: the aggregate has validated the listing. */
  private readonly listings: mongo.Collection<ItemListingDoc>;

  constructor(conn: Connection) {
    this.model = itemListingModel(conn);
    this.listings = driverCollection(conn, this.model);
  }

  insert(listing: ItemListing): Promise<void> {
    return guarded(async () => {
      await this.listings.insertOne({
        _id: listing.id,
        sharerId: listing.sharerId,
        title: listing.title,
        description: listing.description,
        category: listing.category,
        location: listing.location,
        createdAt: listing.createdAt,
      });
    });
  }

  findById(id: string): Promise<ItemListing | null> {
    return guarded(async () => {
      const doc = await this.model.findById(id).lean<ItemListingDoc>().exec();
      return doc ? toListing(doc) : null;
    });
  }

  /**
   * Served by `{ category: 1, createdAt: -1, _id: -1 }` with a category, else by
   * `{ createdAt: -1, _id: -1 }`; the text is tested on the documents of that index walk.
   */
  browse(filter: ListingFilter, page: PageRequest): Promise<Page<ItemListing>> {
    const conditions: QueryFilter<ItemListingDoc>[] = [];
    if (filter.category) conditions.push({ category: filter.category });
    for (const word of (filter.search ?? '').split(/\s+/).filter(Boolean)) {
      const pattern = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      conditions.push({ $or: [{ title: pattern }, { description: pattern }] });
    }
    const query = conditions.length === 0 ? {} : { $and: conditions };
    return guarded(() => findKeysetPage(this.model, query, 'createdAt', page, toListing));
  }

  listBySharer(sharerId: string, page: PageRequest): Promise<Page<ItemListing>> {
    return guarded(() => findKeysetPage(this.model, { sharerId }, 'createdAt', page, toListing));
  }
}

function toListing({ _id, ...props }: ItemListingDoc): ItemListing {
  return ItemListing.rehydrate({
    id: _id,
    sharerId: props.sharerId,
    title: props.title,
    description: props.description,
    category: props.category,
    location: props.location,
    createdAt: props.createdAt,
  });
}
