import { ItemListing } from '../../domain/listing/item-listing.aggregate';
import { ReservationRequest, type ReservationRequestProps } from '../../domain/reservation/reservation-request.aggregate';
import { ValidationError } from '../../domain/shared/domain-error';
import type { BlockDuration } from '../../domain/user/block';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { AccountBlockedError } from '../../domain/user/user.errors';
import { ADMIN, DAY_MS, HEX_24, IDS, blockCommand, memberAggregate, thrownBy } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';

const HOUR = 3_600_000;

let clock: FakeClock;
let now: Date;

beforeEach(() => {
  clock = new FakeClock('2030-01-01T00:00:00.000Z');
  now = clock.now();
});

const after = (ms: number): Date => new Date(now.getTime() + ms);

/** A listing shared by `sharerId` (another member by default). */
function listing(sharerId: string = IDS.other): ItemListing {
  return ItemListing.rehydrate({
    id: 'aa00000000000000000000cc',
    sharerId,
    title: 'Ladder',
    description: '3 m',
    category: 'Tools',
    location: 'Leuven',
    createdAt: new Date('2029-01-01T00:00:00.000Z'),
  });
}

const FUTURE = () => ({ start: after(DAY_MS), end: after(3 * DAY_MS) });

function blockedReserver(duration: BlockDuration): PersonalUser {
  const user = memberAggregate(clock);
  user.block(blockCommand({ duration, reason: 'LATE_RETURN', userMessage: 'Late again.' }));
  return user;
}

describe('ReservationRequest.request: the block guard', () => {
  test.each<BlockDuration>(['DAYS_7', 'DAYS_30', 'DAYS_90', 'INDEFINITE'])(
    'a reserver blocked %s is refused with AccountBlockedError(REQUEST_RESERVATION)',
    (duration) => {
      const reserver = blockedReserver(duration);
      const error = thrownBy(() => ReservationRequest.request(reserver, listing(), FUTURE(), clock));
      expect(error).toBeInstanceOf(AccountBlockedError);
      expect(error).toMatchObject({
        kind: 'ACCOUNT_BLOCKED',
        code: 'USER.ACCOUNT_BLOCKED',
        action: 'REQUEST_RESERVATION',
        reason: 'LATE_RETURN',
        userMessage: 'Late again.',
        expiresAt: reserver.currentBlock?.expiresAt ?? null,
      });
    },
  );

  test.each([
    ['their own listing', () => listing(IDS.member), FUTURE],
    ['a reversed period', () => listing(), () => ({ start: after(2 * DAY_MS), end: after(DAY_MS) })],
    ['a past period', () => listing(), () => ({ start: after(-2 * DAY_MS), end: after(-DAY_MS) })],
  ])('the guard comes first: a blocked member asking for %s gets ACCOUNT_BLOCKED', (_name, target, period) => {
    const error = thrownBy(() => ReservationRequest.request(blockedReserver('DAYS_7'), target(), period(), clock));
    expect(error).toBeInstanceOf(AccountBlockedError);
  });

  test.each<readonly [string, () => PersonalUser]>([
    ['active', () => memberAggregate(clock)],
    [
      'whose block expired',
      () => {
        const user = blockedReserver('DAYS_30');
        clock.advance(30 * DAY_MS);
        now = clock.now();
        return user;
      },
    ],
    [
      'unblocked',
      () => {
        const user = blockedReserver('DAYS_90');
        user.unblock({ actor: ADMIN, reason: 'ok', correlationId: 'c' });
        return user;
      },
    ],
  ])('a reserver who is %s may request', (_name, build) => {
    const reserver = build();
    expect(ReservationRequest.request(reserver, listing(), FUTURE(), clock).state).toBe('PENDING');
  });
});

describe('ReservationRequest.request: rules', () => {
  test('a PENDING request for the listing by the reserver, with the period and createdAt', () => {
    const period = FUTURE();
    const request = ReservationRequest.request(memberAggregate(clock), listing(), period, clock);
    expect(request.id).toMatch(HEX_24);
    expect({
      listingId: request.listingId,
      reserverId: request.reserverId,
      start: request.start,
      end: request.end,
      state: request.state,
      createdAt: request.createdAt,
    }).toEqual({
      listingId: 'aa00000000000000000000cc',
      reserverId: IDS.member,
      start: period.start,
      end: period.end,
      state: 'PENDING',
      createdAt: now,
    });
  });

  test('reserving one\'s own listing is refused with RESERVATION.OWN_LISTING', () => {
    const error = thrownBy(() => ReservationRequest.request(memberAggregate(clock), listing(IDS.member), FUTURE(), clock));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code: 'RESERVATION.OWN_LISTING', field: 'listingId' });
  });

  test.each([
    ['end before start', 2 * DAY_MS, DAY_MS, 'RESERVATION.REVERSED_PERIOD', 'end'],
    ['end 1 ms before start', DAY_MS, DAY_MS - 1, 'RESERVATION.REVERSED_PERIOD', 'end'],
    ['end equal to start', DAY_MS, DAY_MS, 'RESERVATION.REVERSED_PERIOD', 'end'],
    ['end equal to start, both now', 0, 0, 'RESERVATION.REVERSED_PERIOD', 'end'],
    ['start 1 ms in the past', -1, DAY_MS, 'RESERVATION.PAST_PERIOD', 'start'],
    ['start a day in the past', -DAY_MS, DAY_MS, 'RESERVATION.PAST_PERIOD', 'start'],
    ['wholly in the past', -2 * DAY_MS, -DAY_MS, 'RESERVATION.PAST_PERIOD', 'start'],
    ['reversed and in the past', -DAY_MS, -2 * DAY_MS, 'RESERVATION.REVERSED_PERIOD', 'end'],
  ])('refused: %s, with %s', (_name, startIn, endIn, code, field) => {
    const period = { start: after(startIn), end: after(endIn) };
    const error = thrownBy(() => ReservationRequest.request(memberAggregate(clock), listing(), period, clock));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code, field });
  });

  test.each([
    ['starting exactly now', 0, HOUR],
    ['starting in 1 ms, lasting 1 ms', 1, 2],
    ['starting next year', 365 * DAY_MS, 366 * DAY_MS],
  ])('accepted: %s', (_name, startIn, endIn) => {
    const request = ReservationRequest.request(
      memberAggregate(clock),
      listing(),
      { start: after(startIn), end: after(endIn) },
      clock,
    );
    expect(request.start).toEqual(after(startIn));
    expect(request.end).toEqual(after(endIn));
  });

  test('"past" follows the injected clock', () => {
    const period = FUTURE();
    clock.advance(DAY_MS + 1);
    const error = thrownBy(() => ReservationRequest.request(memberAggregate(clock), listing(), period, clock));
    expect(error).toMatchObject({ code: 'RESERVATION.PAST_PERIOD' });
  });

  // Every comparison with NaN is false: an Invalid Date would pass both the "reversed"
  // and the "past" rule unless it is refused on its own.
  test.each([
    ['start', () => ({ start: new Date(Number.NaN), end: after(DAY_MS) })],
    ['end', () => ({ start: after(DAY_MS), end: new Date('not a date') })],
    ['start and end', () => ({ start: new Date(Number.NaN), end: new Date(Number.NaN) })],
  ])('an Invalid Date as %s is refused', (_name, period) => {
    const error = thrownBy(() => ReservationRequest.request(memberAggregate(clock), listing(), period(), clock));
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('ReservationRequest.rehydrate', () => {
  test('exposes the stored props, copied', () => {
    const props: ReservationRequestProps = {
      id: 'bb00000000000000000000dd',
      listingId: 'aa00000000000000000000cc',
      sharerId: IDS.other,
      reserverId: IDS.third,
      start: after(DAY_MS),
      end: after(2 * DAY_MS),
      state: 'ACCEPTED',
      createdAt: now,
    };
    const request = ReservationRequest.rehydrate(props);
    props.state = 'REJECTED';
    props.reserverId = 'changed';
    expect([request.id, request.listingId, request.reserverId, request.state]).toEqual([
      'bb00000000000000000000dd',
      'aa00000000000000000000cc',
      IDS.third,
      'ACCEPTED',
    ]);
    expect([request.start, request.end, request.createdAt]).toEqual([after(DAY_MS), after(2 * DAY_MS), now]);
  });
});

describe('ReservationRequest: accept, decline, cancel', () => {
  const SHARER = IDS.member;
  function pending(): ReservationRequest {
    return ReservationRequest.rehydrate({
      id: 'bb00000000000000000000ee',
      listingId: 'aa00000000000000000000cc',
      sharerId: SHARER,
      reserverId: IDS.third,
      start: after(DAY_MS),
      end: after(2 * DAY_MS),
      state: 'PENDING',
      createdAt: now,
    });
  }
  const sharer = () => memberAggregate(clock); // IDS.member

  test('the sharer accepts a pending request; a second decision is refused', () => {
    const request = pending();
    request.accept(sharer());
    expect(request.state).toBe('ACCEPTED');
    expect(thrownBy(() => request.decline(SHARER))).toMatchObject({ code: 'RESERVATION.WRONG_STATE', kind: 'BAD_USER_INPUT' });
    expect(thrownBy(() => request.accept(sharer()))).toMatchObject({ code: 'RESERVATION.WRONG_STATE' });
  });

  test('accepting is a UserAction: a blocked sharer is refused with ACCEPT_RESERVATION and nothing changes', () => {
    const request = pending();
    const blocked = sharer();
    blocked.block(blockCommand({ duration: 'DAYS_7' }));
    const error = thrownBy(() => request.accept(blocked));
    expect(error).toBeInstanceOf(AccountBlockedError);
    expect(error).toMatchObject({ action: 'ACCEPT_RESERVATION' });
    expect(request.state).toBe('PENDING');
  });

  test('declining and cancelling stay open while blocked: they take only the caller id', () => {
    const declined = pending();
    declined.decline(SHARER);
    expect(declined.state).toBe('REJECTED');
    const cancelled = pending();
    cancelled.cancel(IDS.third);
    expect(cancelled.state).toBe('CANCELLED');
  });

  test('an accepted request may still be cancelled by its reserver, a rejected one not', () => {
    const request = pending();
    request.accept(sharer());
    request.cancel(IDS.third);
    expect(request.state).toBe('CANCELLED');
    const rejected = pending();
    rejected.decline(SHARER);
    expect(thrownBy(() => rejected.cancel(IDS.third))).toMatchObject({ code: 'RESERVATION.WRONG_STATE' });
  });

  test('anyone but the party is told the request does not exist', () => {
    expect(thrownBy(() => pending().accept(memberAggregate(clock, { id: IDS.other })))).toMatchObject({
      kind: 'NOT_FOUND',
      code: 'RESERVATION.NOT_FOUND',
    });
    expect(thrownBy(() => pending().decline(IDS.third))).toMatchObject({ kind: 'NOT_FOUND' });
    expect(thrownBy(() => pending().cancel(SHARER))).toMatchObject({ kind: 'NOT_FOUND' });
  });
});
