import { Schema, type Connection, type Model } from 'mongoose';
import type { ItemListingProps } from '../../../domain/listing/item-listing.aggregate';

/** An item listing as stored: the aggregate's props with `id` as `_id`. */
export type ItemListingDoc = Omit<ItemListingProps, 'id'> & { _id: string };

const itemListingSchema = new Schema(
  {
    _id: { type: String, required: true },
    sharerId: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    category: { type: String, required: true },
    location: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

itemListingSchema.index({ sharerId: 1, createdAt: -1, _id: -1 });
// Browsing: every listing newest first, or one category's.
itemListingSchema.index({ createdAt: -1, _id: -1 });
itemListingSchema.index({ category: 1, createdAt: -1, _id: -1 });

const NAME = 'ItemListing';

/** The listings model on `conn`, registered on first use. */
export function itemListingModel(conn: Connection): Model<ItemListingDoc> {
  return (
    (conn.models[NAME] as Model<ItemListingDoc> | undefined) ??
    conn.model<ItemListingDoc>(NAME, itemListingSchema, 'item_listings')
  );
}
