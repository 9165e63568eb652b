import type { Connection } from 'mongoose';
import { ItemListing } from '../../domain/listing/item-listing.aggregate';
import { ReservationRequest } from '../../domain/reservation/reservation-request.aggregate';
import { ValidationError } from '../../domain/shared/domain-error';
import { newEntityId } from '../../domain/shared/entity-id';
import { closeMongo } from '../../infrastructure/mongo/connection';
import { MongoItemListingRepository } from '../../infrastructure/mongo/repositories/item-listing.repository';
import { MongoReservationRequestRepository } from '../../infrastructure/mongo/repositories/reservation-request.repository';
import { connectTestMongo, walkPages as walk } from './mongo-fixtures';

let conn: Connection;
let listings: MongoItemListingRepository;
let reservations: MongoReservationRequestRepository;

beforeAll(async () => {
  conn = await connectTestMongo();
  listings = new MongoItemListingRepository(conn);
  reservations = new MongoReservationRequestRepository(conn);
});
afterAll(() => closeMongo(conn));

/** 11 instants, several shared by more than one item, so ties must be broken by id. */
const times = [5, 5, 5, 4, 3, 3, 2, 2, 2, 2, 1].map((minute) => new Date(Date.UTC(2025, 0, 1, 12, minute)));

function listing(sharerId: string, createdAt: Date, id = newEntityId(createdAt)): ItemListing {
  const props = { title: 'Drill', description: 'Cordless', category: 'Tools', location: 'Berlin' };
  return ItemListing.rehydrate({ id, sharerId, ...props, createdAt });
}

describe('MongoItemListingRepository', () => {
  it('inserts and finds a listing back', async () => {
    const stored = listing(newEntityId(), new Date('2025-02-03T04:05:06.789Z'));
    await listings.insert(stored);
    const found = await listings.findById(stored.id);
    expect(found).toBeInstanceOf(ItemListing);
    expect({ ...found }).toEqual({ ...stored });
    expect(found?.createdAt.getTime()).toBe(stored.createdAt.getTime());
    expect(await listings.findById(newEntityId())).toBeNull();
  });

  it('pages a sharer\'s listings newest first over more than two pages, ties broken by id', async () => {
    const sharerId = newEntityId();
    const mine = times.map((at) => listing(sharerId, at));
    await Promise.all([...mine, listing(newEntityId(), times[0]!)].map((item) => listings.insert(item)));
    const expected = [...mine]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((item) => item.id);

    const { items, pages } = await walk((page) => listings.listBySharer(sharerId, page), 3);
    expect(pages).toBe(4);
    expect(items.map((item) => item.id)).toEqual(expected);
    const { items: all } = await walk((page) => listings.listBySharer(sharerId, page), 100);
    expect(all.map((item) => item.id)).toEqual(expected);
  });

  it('is stable when items are inserted between two pages', async () => {
    const sharerId = newEntityId();
    const old = times.map((at) => listing(sharerId, at));
    await Promise.all(old.map((item) => listings.insert(item)));
    const first = await listings.listBySharer(sharerId, { first: 4 });
    const boundary = first.items.at(-1)!.createdAt;
    // Newer, and tied with the page's last item on either side of it: only the one that
    // sorts after the cursor belongs to the following pages.
    const later = listing(sharerId, boundary, '0'.repeat(24));
    const inserted = [listing(sharerId, new Date()), listing(sharerId, boundary, 'f'.repeat(24)), later];
    await Promise.all(inserted.map((item) => listings.insert(item)));

    const rest = await walk((page) => listings.listBySharer(sharerId, { ...page, after: page.after ?? first.endCursor }), 4);
    const seen = [...first.items, ...rest.items].map((item) => item.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...old.map((item) => item.id), later.id].sort());
  });

  it('answers an empty page for a sharer without listings', async () => {
    const empty = { items: [], endCursor: null, hasNextPage: false };
    expect(await listings.listBySharer(newEntityId(), { first: 5 })).toEqual(empty);
  });

  it('refuses a malformed cursor with PAGE.BAD_CURSOR', async () => {
    const error = await listings.listBySharer(newEntityId(), { first: 5, after: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'PAGE.BAD_CURSOR', field: 'after' });
  });
});

describe('MongoReservationRequestRepository', () => {
  function request(reserverId: string, createdAt: Date): ReservationRequest {
    return ReservationRequest.rehydrate({
      id: newEntityId(createdAt),
      listingId: newEntityId(),
      sharerId: newEntityId(),
      reserverId,
      start: new Date('2030-01-01T10:00:00Z'),
      end: new Date('2030-01-03T10:00:00Z'),
      state: 'PENDING',
      createdAt,
    });
  }

  it('round-trips requests and pages them newest first over more than two pages', async () => {
    const reserverId = newEntityId();
    const mine = times.map((at) => request(reserverId, at));
    await Promise.all([...mine, request(newEntityId(), times[0]!)].map((item) => reservations.insert(item)));
    const expected = [...mine].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));

    const { items, pages } = await walk((page) => reservations.listByReserver(reserverId, page), 4);
    expect(pages).toBe(3);
    expect(items.map((item) => item.id)).toEqual(expected.map((item) => item.id));
    expect(items.every((item) => item instanceof ReservationRequest)).toBe(true);
    expect({ ...items[0] }).toEqual({ ...expected[0] });
    expect(items[0]?.start).toEqual(new Date('2030-01-01T10:00:00Z'));
  });

  it('refuses a malformed cursor with PAGE.BAD_CURSOR', async () => {
    await expect(reservations.listByReserver(newEntityId(), { first: 2, after: 'MTIz' })).rejects.toMatchObject({
      code: 'PAGE.BAD_CURSOR',
    });
  });
});
