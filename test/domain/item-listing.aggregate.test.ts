import { ItemListing, type NewListing } from '../../domain/listing/item-listing.aggregate';
import { ValidationError } from '../../domain/shared/domain-error';
import { TEXT_LIMITS } from '../../domain/shared/text-limits';
import type { BlockDuration } from '../../domain/user/block';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { AccountBlockedError } from '../../domain/user/user.errors';
import { ADMIN, DAY_MS, HEX_24, IDS, blockCommand, memberAggregate, thrownBy } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';
import { BLANK_TEXTS, astral, controlCharacterTexts } from './text-cases';

let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock('2030-01-01T00:00:00.000Z');
});

const INPUT: NewListing = {
  title: 'Cordless drill',
  description: 'Bosch, two batteries, case included.',
  category: 'Tools',
  location: 'Ghent',
};

function blockedSharer(duration: BlockDuration): PersonalUser {
  const user = memberAggregate(clock);
  user.block(blockCommand({ duration, reason: 'ITEM_DAMAGE', userMessage: 'You broke the ladder.' }));
  return user;
}

describe('ItemListing.publish: the block guard', () => {
  test.each<BlockDuration>(['DAYS_7', 'DAYS_30', 'DAYS_90', 'INDEFINITE'])(
    'a sharer blocked %s is refused with AccountBlockedError(CREATE_LISTING)',
    (duration) => {
      const sharer = blockedSharer(duration);
      const error = thrownBy(() => ItemListing.publish(sharer, INPUT, clock));
      expect(error).toBeInstanceOf(AccountBlockedError);
      expect(error).toMatchObject({
        kind: 'ACCOUNT_BLOCKED',
        code: 'USER.ACCOUNT_BLOCKED',
        action: 'CREATE_LISTING',
        reason: 'ITEM_DAMAGE',
        userMessage: 'You broke the ladder.',
        expiresAt: sharer.currentBlock?.expiresAt ?? null,
      });
    },
  );

  test('the guard runs before field validation: a blocked sharer with invalid input gets ACCOUNT_BLOCKED', () => {
    const sharer = blockedSharer('DAYS_7');
    const error = thrownBy(() => ItemListing.publish(sharer, { ...INPUT, title: '' }, clock));
    expect(error).toBeInstanceOf(AccountBlockedError);
  });

  test.each<readonly [string, () => PersonalUser]>([
    ['active', () => memberAggregate(clock)],
    [
      'whose block expired (exactly at expiresAt)',
      () => {
        const user = blockedSharer('DAYS_7');
        clock.advance(7 * DAY_MS);
        return user;
      },
    ],
    [
      'unblocked',
      () => {
        const user = blockedSharer('INDEFINITE');
        user.unblock({ actor: ADMIN, reason: 'appeal', correlationId: 'c' });
        return user;
      },
    ],
  ])('a sharer who is %s publishes', (_name, build) => {
    const sharer = build();
    const listing = ItemListing.publish(sharer, INPUT, clock);
    expect(listing.sharerId).toBe(IDS.member);
    expect(listing.createdAt).toEqual(clock.now());
  });
});

describe('ItemListing.publish: the listing', () => {
  test('has a fresh entity id, the sharer, the trimmed fields and createdAt from the clock', () => {
    clock.set('2030-05-06T07:08:09.000Z');
    const listing = ItemListing.publish(
      memberAggregate(clock),
      { title: '  Drill ', description: '\nLine 1\nLine 2\t\n', category: ' Tools', location: 'Ghent  ' },
      clock,
    );
    expect(listing.id).toMatch(HEX_24);
    expect({
      sharerId: listing.sharerId,
      title: listing.title,
      description: listing.description,
      category: listing.category,
      location: listing.location,
      createdAt: listing.createdAt,
    }).toEqual({
      sharerId: IDS.member,
      title: 'Drill',
      description: 'Line 1\nLine 2',
      category: 'Tools',
      location: 'Ghent',
      createdAt: new Date('2030-05-06T07:08:09.000Z'),
    });
  });

  test('two listings get different ids', () => {
    const sharer = memberAggregate(clock);
    expect(ItemListing.publish(sharer, INPUT, clock).id).not.toBe(ItemListing.publish(sharer, INPUT, clock).id);
  });

  test('publishing raises nothing on the sharer and leaves its state alone', () => {
    const sharer = memberAggregate(clock);
    ItemListing.publish(sharer, INPUT, clock);
    expect(sharer.newEvents).toHaveLength(0);
    expect(sharer.newHistoryEntries).toHaveLength(0);
  });
});

describe('ItemListing.publish: field rules', () => {
  const FIELDS = [
    ['title', TEXT_LIMITS.listingTitle],
    ['description', TEXT_LIMITS.listingDescription],
    ['category', TEXT_LIMITS.listingCategory],
    ['location', TEXT_LIMITS.listingLocation],
  ] as const satisfies ReadonlyArray<readonly [keyof NewListing, number]>;

  test('the limits are 200 / 5000 / 100 / 200', () => {
    expect(FIELDS.map(([, max]) => max)).toEqual([200, 5000, 100, 200]);
  });

  const accepted = FIELDS.flatMap(([field, max]) => [
    [field, 'one character', 'x', 'x'] as const,
    [field, `exactly ${max} characters`, 'a'.repeat(max), 'a'.repeat(max)] as const,
    [field, `${max} characters once trimmed`, ` \t${'a'.repeat(max)}\n `, 'a'.repeat(max)] as const,
    [field, `${max} astral characters`, astral(max), astral(max)] as const,
    [field, 'newline and tab inside', 'a\nb\tc', 'a\nb\tc'] as const,
  ]);

  test.each(accepted)('%s accepted: %s', (field, _name, value, stored) => {
    const listing = ItemListing.publish(memberAggregate(clock), { ...INPUT, [field]: value }, clock);
    expect(listing[field]).toBe(stored);
  });

  const refused = FIELDS.flatMap(([field, max]) => [
    ...BLANK_TEXTS.map(([name, text]) => [field, `blank (${name})`, text, 'TEXT.TOO_SHORT'] as const),
    [field, `${max + 1} characters`, 'a'.repeat(max + 1), 'TEXT.TOO_LONG'] as const,
    [field, `${max + 1} astral characters`, astral(max + 1), 'TEXT.TOO_LONG'] as const,
    ...controlCharacterTexts().map(([name, text]) => [field, name, text, 'TEXT.CONTROL_CHARACTER'] as const),
  ]);

  test.each(refused)('%s refused: %s, with %s', (field, _name, value, code) => {
    const error = thrownBy(() => ItemListing.publish(memberAggregate(clock), { ...INPUT, [field]: value }, clock));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code, field });
  });
});

describe('ItemListing.rehydrate', () => {
  test('exposes the stored props and is not affected by later changes to them', () => {
    const props = {
      id: 'aa00000000000000000000cc',
      sharerId: IDS.other,
      title: 'Ladder',
      description: '3 m',
      category: 'Tools',
      location: 'Leuven',
      createdAt: new Date('2029-01-01T00:00:00.000Z'),
    };
    const listing = ItemListing.rehydrate(props);
    props.title = 'changed';
    expect([listing.id, listing.sharerId, listing.title, listing.description, listing.category, listing.location]).toEqual([
      'aa00000000000000000000cc',
      IDS.other,
      'Ladder',
      '3 m',
      'Tools',
      'Leuven',
    ]);
    expect(listing.createdAt).toEqual(new Date('2029-01-01T00:00:00.000Z'));
  });
});
