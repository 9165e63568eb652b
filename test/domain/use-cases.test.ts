import { Message } from '../../domain/messaging/message.aggregate';
import { ConcurrencyError, NotFoundError, PermissionError, ValidationError } from '../../domain/shared/domain-error';
import type { DomainEvent } from '../../domain/shared/domain-event';
import type { BlockDuration, BlockReason } from '../../domain/user/block';
import { USER_ACTIONS, type UserAction } from '../../domain/user/user-action';

import { AccountBlockedError } from '../../domain/user/user.errors';
import type { UserEvent } from '../../domain/user/user.events';
import { getUser } from '../../domain/use-cases/admin-queries';
import { blockUser, type BlockUserCommand } from '../../domain/use-cases/block-user.use-case';
import type { ChangeUserDeps } from '../../domain/use-cases/change-user';
import { createItemListing } from '../../domain/use-cases/create-item-listing.use-case';
import {
  listConversationMessages,
  listOwnConversations,
  listOwnListings,
  listOwnReservations,
} from '../../domain/use-cases/member-queries';
import { provisionMember } from '../../domain/use-cases/provision-member.use-case';
import { requestReservation } from '../../domain/use-cases/request-reservation.use-case';
import { sendMessage } from '../../domain/use-cases/send-message.use-case';
import { settleExpiredBlock } from '../../domain/use-cases/settle-expired-block.use-case';
import { unblockUser } from '../../domain/use-cases/unblock-user.use-case';
import { acceptReservationRequest } from '../../domain/use-cases/decide-reservation.use-case';
import { newEntityId } from '../../domain/shared/entity-id';
import type { Viewer } from '../../domain/use-cases/viewer';
import { ADMIN, ADMIN_2, DAY_MS, IDS, adminProps, rejectionOf, userProps } from './fakes/builders';
import { CallLog } from './fakes/call-log';
import { FakeClock } from './fakes/fake-clock';
import { InMemoryListingRepository } from './fakes/in-memory-listing.repository';
import { InMemoryMessagingRepository } from './fakes/in-memory-messaging.repository';
import { InMemoryReservationRepository } from './fakes/in-memory-reservation.repository';
import { InMemoryUserRepository } from './fakes/in-memory-user.repository';
import { RecordingEventPublisher } from './fakes/recording-event-publisher';

/** Every action has a use case that drives it. */
type DrivenAction = UserAction;
const DRIVEN_ACTIONS = USER_ACTIONS;

const MEMBER: Viewer = { userId: IDS.member, isAdmin: false };
const OTHER: Viewer = { userId: IDS.other, isAdmin: false };
const THIRD: Viewer = { userId: IDS.third, isAdmin: false };
const LISTING_ID = 'aa00000000000000000000cc';

type Harness = ReturnType<typeof harness>;

function harness(options: { optimisticRetries?: number; withPublishFailureHook?: boolean } = {}) {
  const clock = new FakeClock('2030-01-01T00:00:00.000Z');
  const log = new CallLog();
  const users = new InMemoryUserRepository(clock, log);
  const listings = new InMemoryListingRepository(log);
  const reservations = new InMemoryReservationRepository(log);
  const messaging = new InMemoryMessagingRepository(log);
  const events = new RecordingEventPublisher(log);
  const publishFailures: Array<{ error: unknown; events: readonly DomainEvent[] | undefined }> = [];
  const onPublishFailure =
    options.withPublishFailureHook === false
      ? undefined
      : (error: unknown, failed?: readonly DomainEvent[]) => {
          publishFailures.push({ error, events: failed });
        };
  const changeDeps: ChangeUserDeps = {
    users,
    events,
    optimisticRetries: options.optimisticRetries ?? 3,
    ...(onPublishFailure ? { onPublishFailure } : {}),
  };

  users.seed(adminProps());
  users.seed(adminProps({ id: IDS.admin2, externalId: 'auth0|admin2' }));
  users.seed(userProps());
  users.seed(userProps({ id: IDS.other, externalId: 'auth0|other', displayName: 'Other' }));
  users.seed(userProps({ id: IDS.third, externalId: 'auth0|third', displayName: 'Third' }));
  listings.seed({ id: LISTING_ID, sharerId: IDS.other, createdAt: clock.now() });

  return {
    clock,
    log,
    users,
    listings,
    reservations,
    messaging,
    events,
    publishFailures,
    changeDeps,
    block: blockUser(changeDeps),
    unblock: unblockUser(changeDeps),
    settle: settleExpiredBlock(changeDeps),
    createListing: createItemListing({ users, listings, clock }),
    reserve: requestReservation({ users, listings, reservations, clock }),
    accept: acceptReservationRequest({ users, reservations, listings }),
    send: sendMessage({ users, messaging, events, clock, ...(onPublishFailure ? { onPublishFailure } : {}) }),
  };
}

function blockOf(overrides: Partial<BlockUserCommand> = {}): BlockUserCommand {
  return {
    viewer: ADMIN,
    correlationId: 'corr-block',
    userId: IDS.member,
    reason: 'LATE_RETURN',
    duration: 'DAYS_7',
    userMessage: 'Late again.',
    adminNote: 'note',
    ...overrides,
  };
}

const unblockOf = (overrides: Partial<Parameters<Harness['unblock']>[0]> = {}) => ({
  viewer: ADMIN,
  correlationId: 'corr-unblock',
  userId: IDS.member,
  reason: 'Appeal accepted',
  ...overrides,
});

// ---------------------------------------------------------------------------------------
// blockUser / unblockUser / settleExpiredBlock through changeUser
// ---------------------------------------------------------------------------------------

describe('blockUser', () => {
  test('loads, saves, then publishes, then marks the events published', async () => {
    const h = harness();
    const user = await h.block(blockOf());

    const [event] = h.events.published as UserEvent[];
    expect(h.log.entries).toEqual([
      `users.findById ${IDS.member}`,
      `users.save ${IDS.member}`,
      'events.publish user.blocked',
      `users.markEventsPublished ${IDS.member} ${event?.id}`,
    ]);
    expect(user.isBlocked()).toBe(true);
    expect(event).toMatchObject({
      type: 'user.blocked',
      aggregateId: IDS.member,
      actorId: IDS.admin,
      correlationId: 'corr-block',
      occurredAt: h.clock.now(),
      payload: { replacedPrevious: false, status: { state: 'BLOCKED', reason: 'LATE_RETURN', userMessage: 'Late again.' } },
    });

    const row = h.users.row(IDS.member);
    expect(row?.version).toBe(2);
    expect(row?.block).toMatchObject({ reason: 'LATE_RETURN', duration: 'DAYS_7', blockedBy: IDS.admin, adminNote: 'note' });
    expect(row?.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED']);
    expect(h.users.outboxOf(IDS.member)).toEqual([]);
    expect(h.publishFailures).toEqual([]);
    expect((await h.users.findById(IDS.member))?.isBlocked()).toBe(true);
  });

  test('replacing a block in force publishes replacedPrevious and keeps both BLOCKED entries', async () => {
    const h = harness();
    await h.block(blockOf());
    h.clock.advance(DAY_MS);
    await h.block(blockOf({ viewer: ADMIN_2, duration: 'INDEFINITE', reason: 'OTHER' }));
    expect(h.events.published.map((event) => (event as UserEvent).payload)).toMatchObject([
      { replacedPrevious: false },
      { replacedPrevious: true, status: { reason: 'OTHER', expiresAt: null } },
    ]);
    expect(h.users.row(IDS.member)?.blockHistory.map((entry) => [entry.kind, entry.by])).toEqual([
      ['BLOCKED', IDS.admin],
      ['BLOCKED', IDS.admin2],
    ]);
  });

  test('blocking after the previous block expired publishes block-expired then blocked', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'DAYS_7' }));
    h.clock.advance(7 * DAY_MS);
    await h.block(blockOf({ duration: 'DAYS_30', correlationId: 'corr-2' }));
    expect(h.events.types()).toEqual(['user.blocked', 'user.block-expired', 'user.blocked']);
    expect(h.users.row(IDS.member)?.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED', 'EXPIRED', 'BLOCKED']);
    expect(h.users.outboxOf(IDS.member)).toEqual([]);
  });

  test('an unknown member is NOT_FOUND (USER.NOT_FOUND) for an admin; nothing saved', async () => {
    const h = harness();
    const error = await rejectionOf(h.block(blockOf({ userId: IDS.unknown })));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'USER.NOT_FOUND' });
    expect(h.users.saveCalls).toBe(0);
    expect(h.events.published).toEqual([]);
  });

  // The contract says a member calling an admin operation is FORBIDDEN, whatever the id:
  // NOT_FOUND would tell a member which ids exist.
  test.each(['blockUser', 'unblockUser'] as const)(
    'a member calling %s on an unknown id is FORBIDDEN (not NOT_FOUND)',
    async (operation) => {
      const h = harness();
      const run =
        operation === 'blockUser'
          ? h.block(blockOf({ viewer: OTHER, userId: IDS.unknown }))
          : h.unblock(unblockOf({ viewer: OTHER, userId: IDS.unknown }));
      const error = await rejectionOf(run);
      expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'USER.STAFF_ONLY' });
    },
  );
});

describe('unblockUser', () => {
  test('loads, saves, publishes user.unblocked, marks it published', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'INDEFINITE' }));
    h.log.clear();
    h.clock.advance(DAY_MS);

    const user = await h.unblock(unblockOf({ viewer: ADMIN_2 }));
    const event = h.events.published.at(-1) as UserEvent;
    expect(h.log.entries).toEqual([
      `users.findById ${IDS.member}`,
      `users.save ${IDS.member}`,
      'events.publish user.unblocked',
      `users.markEventsPublished ${IDS.member} ${event.id}`,
    ]);
    expect(user.isBlocked()).toBe(false);
    expect(event).toMatchObject({
      type: 'user.unblocked',
      actorId: IDS.admin2,
      correlationId: 'corr-unblock',
      payload: { reason: 'Appeal accepted', status: { state: 'ACTIVE', changedAt: h.clock.now() } },
    });
    const row = h.users.row(IDS.member);
    expect(row?.block).toBeNull();
    expect(row?.blockHistory.at(-1)).toEqual({
      kind: 'UNBLOCKED',
      at: h.clock.now(),
      by: IDS.admin2,
      reason: 'LATE_RETURN',
      duration: 'INDEFINITE',
      note: 'Appeal accepted',
    });
    expect(h.users.outboxOf(IDS.member)).toEqual([]);
  });
});

describe('a refused change saves and publishes nothing', () => {
  const cases: ReadonlyArray<
    readonly [string, (h: Harness) => Promise<unknown>, string, string, ((h: Harness) => Promise<unknown>) | null]
  > = [
    ['a member blocks a member', (h) => h.block(blockOf({ viewer: OTHER })), 'FORBIDDEN', 'USER.STAFF_ONLY', null],
    ['an admin blocks an admin', (h) => h.block(blockOf({ userId: IDS.admin2 })), 'FORBIDDEN', 'USER.ADMIN_TARGET', null],
    ['an admin blocks themself', (h) => h.block(blockOf({ userId: IDS.admin })), 'FORBIDDEN', 'USER.SELF_ACTION', null],
    ['a blank userMessage', (h) => h.block(blockOf({ userMessage: ' \n ' })), 'BAD_USER_INPUT', 'TEXT.TOO_SHORT', null],
    [
      'a 1001-character userMessage',
      (h) => h.block(blockOf({ userMessage: 'x'.repeat(1001) })),
      'BAD_USER_INPUT',
      'TEXT.TOO_LONG',
      null,
    ],
    [
      'a NUL in the admin note',
      (h) => h.block(blockOf({ adminNote: 'x\x00' })),
      'BAD_USER_INPUT',
      'TEXT.CONTROL_CHARACTER',
      null,
    ],
    [
      'an unknown reason',
      (h) => h.block(blockOf({ reason: 'NOPE' as BlockReason })),
      'BAD_USER_INPUT',
      'USER.UNKNOWN_REASON',
      null,
    ],
    [
      'an unknown duration',
      (h) => h.block(blockOf({ duration: 'DAYS_1' as BlockDuration })),
      'BAD_USER_INPUT',
      'USER.UNKNOWN_DURATION',
      null,
    ],
    [
      'a member unblocks a blocked member',
      (h) => h.unblock(unblockOf({ viewer: OTHER })),
      'FORBIDDEN',
      'USER.STAFF_ONLY',
      (h) => h.block(blockOf()),
    ],
    ['unblocking a member who is not blocked', (h) => h.unblock(unblockOf()), 'BAD_USER_INPUT', 'USER.NOT_BLOCKED', null],
    [
      'unblocking a member whose block expired',
      (h) => h.unblock(unblockOf()),
      'BAD_USER_INPUT',
      'USER.NOT_BLOCKED',
      async (h) => {
        await h.block(blockOf({ duration: 'DAYS_7' }));
        h.clock.advance(7 * DAY_MS);
      },
    ],
    [
      'unblocking with a blank reason',
      (h) => h.unblock(unblockOf({ reason: '   ' })),
      'BAD_USER_INPUT',
      'TEXT.TOO_SHORT',
      (h) => h.block(blockOf()),
    ],
  ];

  test.each(cases)('%s', async (_name, run, kind, code, setup) => {
    const h = harness();
    if (setup) await setup(h);
    const before = { member: h.users.row(IDS.member), admin2: h.users.row(IDS.admin2), admin: h.users.row(IDS.admin) };
    const publishedBefore = h.events.published.length;
    const savesBefore = h.users.saveCalls;

    const error = await rejectionOf(run(h));
    expect(error).toMatchObject({ kind, code });
    expect(h.users.saveCalls).toBe(savesBefore);
    expect(h.events.published).toHaveLength(publishedBefore);
    expect({ member: h.users.row(IDS.member), admin2: h.users.row(IDS.admin2), admin: h.users.row(IDS.admin) }).toEqual(
      before,
    );
    expect(h.publishFailures).toEqual([]);
  });
});

describe('optimistic concurrency', () => {
  test('a ConcurrencyError makes changeUser reload and retry; both blocks end up in the history', async () => {
    const h = harness();
    const otherWriter = blockUser({ users: h.users, events: new RecordingEventPublisher(), optimisticRetries: 1 });
    h.users.beforeNextSave(async () => {
      await otherWriter(blockOf({ viewer: ADMIN_2, reason: 'ITEM_DAMAGE', correlationId: 'corr-other' }));
    });

    const user = await h.block(blockOf({ reason: 'OTHER', correlationId: 'corr-mine' }));

    expect(h.log.named('users.findById').filter((entry) => entry.endsWith(IDS.member))).toHaveLength(3); // mine, theirs, mine again
    expect(h.users.saveCalls).toBe(3); // mine (lost the race), theirs, mine again
    expect(user.currentBlock).toMatchObject({ reason: 'OTHER', blockedBy: IDS.admin });
    const row = h.users.row(IDS.member);
    expect(row?.version).toBe(3);
    expect(row?.blockHistory.map((entry) => [entry.kind, entry.by, entry.reason])).toEqual([
      ['BLOCKED', IDS.admin2, 'ITEM_DAMAGE'],
      ['BLOCKED', IDS.admin, 'OTHER'],
    ]);
    // only the winning attempt's event is published, and it knows it replaced a block
    expect(h.events.published).toHaveLength(1);
    expect(h.events.published[0]).toMatchObject({
      type: 'user.blocked',
      correlationId: 'corr-mine',
      payload: { replacedPrevious: true },
    });
  });

  test('two admins unblock at once: the loser is refused with NOT_BLOCKED, one UNBLOCKED entry', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'INDEFINITE' }));
    const otherWriter = unblockUser({ users: h.users, events: new RecordingEventPublisher(), optimisticRetries: 1 });
    h.users.beforeNextSave(async () => {
      await otherWriter(unblockOf({ viewer: ADMIN_2, reason: 'theirs' }));
    });
    const publishedBefore = h.events.published.length;

    const error = await rejectionOf(h.unblock(unblockOf({ reason: 'mine' })));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'USER.NOT_BLOCKED' });
    expect(h.users.row(IDS.member)?.blockHistory.map((entry) => [entry.kind, entry.note])).toEqual([
      ['BLOCKED', 'note'],
      ['UNBLOCKED', 'theirs'],
    ]);
    expect(h.events.published).toHaveLength(publishedBefore);
  });

  test('settling on two instances at once writes one EXPIRED entry; the loser saves nothing more', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'DAYS_7' }));
    h.clock.advance(8 * DAY_MS);
    const otherInstance = settleExpiredBlock({ users: h.users, events: new RecordingEventPublisher(), optimisticRetries: 1 });
    h.users.beforeNextSave(async () => {
      await otherInstance({ userId: IDS.member, correlationId: 'theirs' });
    });
    const savesBefore = h.users.saveCalls;
    const publishedBefore = h.events.published.length;

    const user = await h.settle({ userId: IDS.member, correlationId: 'mine' });
    expect(user.isBlocked()).toBe(false);
    expect(user.newEvents).toHaveLength(0);
    expect(h.users.saveCalls - savesBefore).toBe(2); // mine (lost), theirs; the retry has nothing to save
    expect(h.users.row(IDS.member)?.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED', 'EXPIRED']);
    expect(h.events.published).toHaveLength(publishedBefore);
  });

  test.each([1, 2, 3, 5])('gives up after optimisticRetries = %i tries and rethrows the ConcurrencyError', async (tries) => {
    const h = harness({ optimisticRetries: tries });
    h.users.failNextSaves(
      ...Array.from({ length: tries + 3 }, () => new ConcurrencyError('PersonalUser', IDS.member)),
    );
    const before = h.users.row(IDS.member);

    const error = await rejectionOf(h.block(blockOf()));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ kind: 'CONFLICT', code: 'SHARED.CONCURRENT_UPDATE' });
    expect(h.users.saveCalls).toBe(tries);
    expect(h.log.named('users.findById')).toHaveLength(tries);
    expect(h.events.published).toEqual([]);
    expect(h.log.named('events.publish', 'users.markEventsPublished')).toEqual([]);
    expect(h.users.row(IDS.member)).toEqual(before);
  });

  test.each([1, 2, 3, 5])('with optimisticRetries = %i, succeeding on the last try is a success', async (tries) => {
    const h = harness({ optimisticRetries: tries });
    h.users.failNextSaves(...Array.from({ length: tries - 1 }, () => new ConcurrencyError('PersonalUser', IDS.member)));
    const user = await h.block(blockOf());
    expect(user.isBlocked()).toBe(true);
    expect(h.users.saveCalls).toBe(tries);
    expect(h.events.types()).toEqual(['user.blocked']);
    expect(h.users.row(IDS.member)?.blockHistory).toHaveLength(1);
  });

  test('any other save error is rethrown at once, without retry or publish', async () => {
    const h = harness({ optimisticRetries: 5 });
    const down = new Error('store unreachable');
    h.users.failNextSaves(down);
    expect(await rejectionOf(h.block(blockOf()))).toBe(down);
    expect(h.users.saveCalls).toBe(1);
    expect(h.events.published).toEqual([]);
  });
});

describe('publishing after the save', () => {
  test('a publish failure is reported to onPublishFailure, does not throw, and leaves the events in the outbox', async () => {
    const h = harness();
    const failure = new Error('pub/sub down');
    h.events.failNext(failure);

    const user = await h.block(blockOf());
    expect(user.isBlocked()).toBe(true);
    expect(h.users.row(IDS.member)?.block).not.toBeNull();
    expect(h.publishFailures).toHaveLength(1);
    expect(h.publishFailures[0]?.error).toBe(failure);
    expect(h.publishFailures[0]?.events?.map((event) => event.type)).toEqual(['user.blocked']);
    expect(h.log.named('users.markEventsPublished')).toEqual([]);
    const unpublished = await h.users.findUnpublishedEvents(10);
    expect(unpublished.map((event) => [event.type, event.id])).toEqual([['user.blocked', user.newEvents[0]?.id]]);
  });

  test('without onPublishFailure a publish failure is swallowed too', async () => {
    const h = harness({ withPublishFailureHook: false });
    h.events.failNext(new Error('pub/sub down'));
    await expect(h.block(blockOf())).resolves.toMatchObject({ id: IDS.member });
    expect(h.users.outboxOf(IDS.member)).toHaveLength(1);
  });

  test('a failure to mark events published is reported and does not throw', async () => {
    const h = harness();
    const failure = new Error('outbox cleanup failed');
    h.users.failNextMarkPublished(failure);

    await expect(h.block(blockOf())).resolves.toMatchObject({ id: IDS.member });
    expect(h.events.types()).toEqual(['user.blocked']);
    expect(h.publishFailures.map((entry) => entry.error)).toEqual([failure]);
    expect(h.users.outboxOf(IDS.member)).toHaveLength(1);
  });
});

describe('settleExpiredBlock use case', () => {
  test('before expiry: nothing saved or published', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'DAYS_30' }));
    h.clock.advance(30 * DAY_MS - 1);
    const saves = h.users.saveCalls;
    const user = await h.settle({ userId: IDS.member, correlationId: 'c' });
    expect(user.isBlocked()).toBe(true);
    expect(h.users.saveCalls).toBe(saves);
    expect(h.events.types()).toEqual(['user.blocked']);
  });

  test('at expiry: saves the EXPIRED entry and publishes block-expired once; a second run does nothing', async () => {
    const h = harness();
    await h.block(blockOf({ duration: 'DAYS_30' }));
    const expiresAt = new Date(h.clock.now().getTime() + 30 * DAY_MS);
    h.clock.set(expiresAt);

    await h.settle({ userId: IDS.member, correlationId: 'corr-settle' });
    expect(h.events.types()).toEqual(['user.blocked', 'user.block-expired']);
    expect(h.events.published[1]).toMatchObject({ actorId: null, correlationId: 'corr-settle' });
    const row = h.users.row(IDS.member);
    expect(row?.block).toBeNull();
    expect(row?.blockHistory.at(-1)).toMatchObject({ kind: 'EXPIRED', at: expiresAt, by: null });

    const saves = h.users.saveCalls;
    await h.settle({ userId: IDS.member, correlationId: 'again' });
    expect(h.users.saveCalls).toBe(saves);
    expect(h.events.types()).toEqual(['user.blocked', 'user.block-expired']);
  });

  test('a never-blocked member: nothing saved or published', async () => {
    const h = harness();
    await h.settle({ userId: IDS.member, correlationId: 'c' });
    expect(h.users.saveCalls).toBe(0);
    expect(h.events.published).toEqual([]);
  });

  test('an unknown member is NOT_FOUND', async () => {
    const h = harness();
    await expect(h.settle({ userId: IDS.unknown, correlationId: 'c' })).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });
});

// ---------------------------------------------------------------------------------------
// Member actions: every action x every state
// ---------------------------------------------------------------------------------------

interface ActionDriver {
  run(h: Harness, viewer: Viewer): Promise<unknown>;
  /** How many things the action stored. */
  stored(h: Harness): number;
}

const ACTIONS = {
  CREATE_LISTING: {
    run: (h, viewer) =>
      h.createListing({
        viewer,
        correlationId: 'corr-action',
        input: { title: 'Tent', description: 'Two persons', category: 'Camping', location: 'Bruges' },
      }),
    stored: (h) => h.listings.stored.length - 1, // minus the seeded listing
  },
  REQUEST_RESERVATION: {
    run: (h, viewer) =>
      h.reserve({
        viewer,
        correlationId: 'corr-action',
        listingId: LISTING_ID,
        start: new Date(h.clock.now().getTime() + DAY_MS),
        end: new Date(h.clock.now().getTime() + 2 * DAY_MS),
      }),
    stored: (h) => h.reservations.stored.length,
  },
  ACCEPT_RESERVATION: {
    run: (h, viewer) => {
      const pending = h.reservations.seed({
        id: newEntityId(),
        listingId: LISTING_ID,
        sharerId: viewer.userId,
        reserverId: IDS.third,
        start: new Date(h.clock.now().getTime() + DAY_MS),
        end: new Date(h.clock.now().getTime() + 2 * DAY_MS),
        state: 'PENDING',
        createdAt: h.clock.now(),
      });
      return h.accept({ viewer, correlationId: 'corr-action', requestId: pending.id });
    },
    stored: (h) => h.reservations.stored.filter((request) => h.reservations.stateOf(request.id) === 'ACCEPTED').length,
  },
  SEND_MESSAGE: {
    run: (h, viewer) => h.send({ viewer, correlationId: 'corr-action', recipientId: IDS.third, text: 'Hello!' }),
    stored: (h) => h.messaging.messages.length,
  },
} satisfies Record<DrivenAction, ActionDriver>;

interface UseCaseState {
  name: string;
  /** Puts MEMBER in the state; returns the block expected in force, or null. */
  setup(h: Harness): Promise<{ reason: BlockReason; userMessage: string; expiresAt: Date | null } | null>;
}

const STATES: UseCaseState[] = [
  { name: 'active (never blocked)', setup: async () => null },
  ...(['DAYS_7', 'DAYS_30', 'DAYS_90'] as const).map(
    (duration): UseCaseState => ({
      name: `blocked ${duration}`,
      setup: async (h) => {
        const user = await h.block(blockOf({ duration, reason: 'ITEM_DAMAGE', userMessage: ` ${duration} ` }));
        return { reason: 'ITEM_DAMAGE', userMessage: duration, expiresAt: user.currentBlock?.expiresAt ?? null };
      },
    }),
  ),
  {
    name: 'blocked INDEFINITE',
    setup: async (h) => {
      await h.block(blockOf({ duration: 'INDEFINITE', reason: 'POLICY_VIOLATION', userMessage: 'Forever.' }));
      return { reason: 'POLICY_VIOLATION', userMessage: 'Forever.', expiresAt: null };
    },
  },
  {
    name: 'blocked, 1 ms before expiry',
    setup: async (h) => {
      const user = await h.block(blockOf({ duration: 'DAYS_7' }));
      h.clock.advance(7 * DAY_MS - 1);
      return { reason: 'LATE_RETURN', userMessage: 'Late again.', expiresAt: user.currentBlock?.expiresAt ?? null };
    },
  },
  {
    name: 'blocked, with the block events never published',
    setup: async (h) => {
      h.events.failNext(new Error('pub/sub down'));
      await h.block(blockOf({ duration: 'INDEFINITE' }));
      return { reason: 'LATE_RETURN', userMessage: 'Late again.', expiresAt: null };
    },
  },
  {
    name: 'block expired (exactly at expiresAt, not settled)',
    setup: async (h) => {
      await h.block(blockOf({ duration: 'DAYS_7' }));
      h.clock.advance(7 * DAY_MS);
      return null;
    },
  },
  {
    name: 'block expired and settled',
    setup: async (h) => {
      await h.block(blockOf({ duration: 'DAYS_30' }));
      h.clock.advance(31 * DAY_MS);
      await h.settle({ userId: IDS.member, correlationId: 'c' });
      return null;
    },
  },
  {
    name: 'unblocked',
    setup: async (h) => {
      await h.block(blockOf({ duration: 'INDEFINITE' }));
      h.clock.advance(DAY_MS);
      await h.unblock(unblockOf());
      return null;
    },
  },
];

describe('member actions', () => {
  const cases = DRIVEN_ACTIONS.flatMap((action) => STATES.map((state) => [action, state.name, state] as const));

  test('the drivers cover exactly the driven actions', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...DRIVEN_ACTIONS].sort());
    expect(cases).toHaveLength(DRIVEN_ACTIONS.length * STATES.length);
  });

  test.each(cases)('%s by a member who is %s', async (action, _name, state) => {
    const h = harness();
    const inForce = await state.setup(h);
    const publishedBefore = h.events.published.length;
    const driver: ActionDriver = ACTIONS[action];

    if (inForce) {
      const error = await rejectionOf(driver.run(h, MEMBER));
      expect(error).toBeInstanceOf(AccountBlockedError);
      expect(error).toMatchObject({ kind: 'ACCOUNT_BLOCKED', code: 'USER.ACCOUNT_BLOCKED', action, ...inForce });
      expect(driver.stored(h)).toBe(0);
      expect(h.events.published).toHaveLength(publishedBefore);
      expect(h.log.named('listings.insert', 'reservations.insert', 'messaging.insertMessage')).toEqual([]);
    } else {
      await driver.run(h, MEMBER);
      expect(driver.stored(h)).toBe(1);
    }
  });

  test.each(DRIVEN_ACTIONS)('%s by a member who does not exist is NOT_FOUND; nothing stored', async (action) => {
    const h = harness();
    const driver: ActionDriver = ACTIONS[action];
    const error = await rejectionOf(driver.run(h, { userId: IDS.unknown, isAdmin: false }));
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'USER.NOT_FOUND' });
    expect(driver.stored(h)).toBe(0);
  });

  test.each(DRIVEN_ACTIONS)('%s re-reads the member: a block placed a moment ago is enforced', async (action) => {
    const h = harness();
    const driver: ActionDriver = ACTIONS[action];
    await driver.run(h, MEMBER);
    await h.block(blockOf());
    await expect(driver.run(h, MEMBER)).rejects.toBeInstanceOf(AccountBlockedError);
    expect(driver.stored(h)).toBe(1);
    await h.unblock(unblockOf());
    await driver.run(h, MEMBER);
    expect(driver.stored(h)).toBe(2);
  });

  test('a block on one member does not restrict another', async () => {
    const h = harness();
    await h.block(blockOf({ userId: IDS.third }));
    for (const action of DRIVEN_ACTIONS) {
      const driver: ActionDriver = ACTIONS[action];
      await driver.run(h, MEMBER);
      expect(driver.stored(h)).toBe(1);
    }
  });
});

describe('createItemListing', () => {
  test('stores the listing of the viewer', async () => {
    const h = harness();
    const listing = await ACTIONS.CREATE_LISTING.run(h, MEMBER);
    expect(listing).toMatchObject({ sharerId: IDS.member, title: 'Tent', createdAt: h.clock.now() });
    expect(h.listings.stored.at(-1)).toBe(listing);
  });

  test('invalid input is refused and nothing stored', async () => {
    const h = harness();
    const error = await rejectionOf(
      h.createListing({
        viewer: MEMBER,
        correlationId: 'c',
        input: { title: '', description: 'd', category: 'c', location: 'l' },
      }),
    );
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code: 'TEXT.TOO_SHORT', field: 'title' });
    expect(h.listings.stored).toHaveLength(1);
  });
});

describe('requestReservation', () => {
  const period = (h: Harness) => ({
    start: new Date(h.clock.now().getTime() + DAY_MS),
    end: new Date(h.clock.now().getTime() + 2 * DAY_MS),
  });

  test('stores a PENDING request of the viewer for the listing', async () => {
    const h = harness();
    const request = await h.reserve({ viewer: MEMBER, correlationId: 'c', listingId: LISTING_ID, ...period(h) });
    expect(request).toMatchObject({ listingId: LISTING_ID, reserverId: IDS.member, state: 'PENDING' });
    expect(h.reservations.stored).toEqual([request]);
  });

  test('an unknown listing is NOT_FOUND (LISTING.NOT_FOUND); nothing stored', async () => {
    const h = harness();
    const error = await rejectionOf(h.reserve({ viewer: MEMBER, correlationId: 'c', listingId: IDS.unknown, ...period(h) }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'LISTING.NOT_FOUND' });
    expect(h.reservations.stored).toEqual([]);
  });

  test('a blocked member asking for an unknown listing gets ACCOUNT_BLOCKED first; the listing is never looked up', async () => {
    const h = harness();
    await h.block(blockOf());
    h.log.clear();
    const error = await rejectionOf(h.reserve({ viewer: MEMBER, correlationId: 'c', listingId: IDS.unknown, ...period(h) }));
    expect(error).toBeInstanceOf(AccountBlockedError);
    expect(error).toMatchObject({ kind: 'ACCOUNT_BLOCKED', action: 'REQUEST_RESERVATION' });
    expect(h.log.named('listings.findById')).toEqual([]);
  });

  test.each([
    ['one\'s own listing', OTHER, (h: Harness) => period(h), 'RESERVATION.OWN_LISTING'],
    [
      'a reversed period',
      MEMBER,
      (h: Harness) => ({ start: period(h).end, end: period(h).start }),
      'RESERVATION.REVERSED_PERIOD',
    ],
    [
      'a period starting in the past',
      MEMBER,
      (h: Harness) => ({ start: new Date(h.clock.now().getTime() - 1), end: period(h).end }),
      'RESERVATION.PAST_PERIOD',
    ],
  ] as const)('%s is BAD_USER_INPUT; nothing stored', async (_name, viewer, when, code) => {
    const h = harness();
    const error = await rejectionOf(h.reserve({ viewer, correlationId: 'c', listingId: LISTING_ID, ...when(h) }));
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code });
    expect(h.reservations.stored).toEqual([]);
  });
});

describe('sendMessage', () => {
  test('stores the message and publishes message.sent with the correlation id', async () => {
    const h = harness();
    const message = await h.send({ viewer: MEMBER, correlationId: 'corr-msg', recipientId: IDS.other, text: ' Hi! ' });
    expect(message).toBeInstanceOf(Message);
    expect(h.messaging.messages).toEqual([message]);
    expect(h.events.published).toEqual([message.sentEvent('corr-msg')]);
    expect(h.events.published[0]).toMatchObject({
      type: 'message.sent',
      aggregateId: message.conversationId,
      actorId: IDS.member,
      correlationId: 'corr-msg',
      payload: { senderId: IDS.member, recipientId: IDS.other, text: 'Hi!' },
    });
    expect(h.log.named('messaging.insertMessage', 'events.publish')).toEqual([
      `messaging.insertMessage ${message.id}`,
      'events.publish message.sent',
    ]);
  });

  test('an unknown recipient is NOT_FOUND (MESSAGE.UNKNOWN_RECIPIENT); nothing stored or published', async () => {
    const h = harness();
    const error = await rejectionOf(h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.unknown, text: 'hi' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'MESSAGE.UNKNOWN_RECIPIENT' });
    expect(h.messaging.messages).toEqual([]);
    expect(h.events.published).toEqual([]);
  });

  test('a message to oneself is BAD_USER_INPUT (MESSAGE.TO_SELF); nothing stored or published', async () => {
    const h = harness();
    const error = await rejectionOf(h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.member, text: 'hi' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code: 'MESSAGE.TO_SELF' });
    expect(h.messaging.messages).toEqual([]);
    expect(h.events.published).toEqual([]);
  });

  test('a blocked sender gets ACCOUNT_BLOCKED before the recipient is looked up', async () => {
    const h = harness();
    await h.block(blockOf());
    h.log.clear();
    await expect(
      h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.unknown, text: 'hi' }),
    ).rejects.toMatchObject({ kind: 'ACCOUNT_BLOCKED', action: 'SEND_MESSAGE' });
    expect(h.log.entries).toEqual([`users.findById ${IDS.member}`]);
  });

  test('a publish failure is reported to onPublishFailure; the message is stored and returned', async () => {
    const h = harness();
    const failure = new Error('pub/sub down');
    h.events.failNext(failure);
    const message = await h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.other, text: 'hi' });
    expect(h.messaging.messages).toEqual([message]);
    expect(h.publishFailures.map((entry) => entry.error)).toEqual([failure]);
  });

  // The message is stored before live delivery is tried: failing the call would make the
  // client retry and the recipient get it twice.
  test('without onPublishFailure, a failed live delivery does not fail sendMessage', async () => {
    const h = harness({ withPublishFailureHook: false });
    h.events.failNext(new Error('pub/sub down'));
    const sending = h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.other, text: 'hi' });
    await expect(sending).resolves.toBeInstanceOf(Message);
    expect(h.messaging.messages).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

describe('listConversationMessages', () => {
  async function conversation(h: Harness): Promise<string> {
    const first = await h.send({ viewer: MEMBER, correlationId: 'c', recipientId: IDS.other, text: 'one' });
    h.clock.advance(1000);
    await h.send({ viewer: OTHER, correlationId: 'c', recipientId: IDS.member, text: 'two' });
    return first.conversationId;
  }

  test.each([
    ['the first participant', MEMBER],
    ['the second participant', OTHER],
  ])('%s reads the messages, newest first', async (_name, viewer) => {
    const h = harness();
    const id = await conversation(h);
    const page = await listConversationMessages({ messaging: h.messaging })(viewer, id, { first: 10 });
    expect(page.items.map((message) => message.text)).toEqual(['two', 'one']);
  });

  test('a blocked participant can still read', async () => {
    const h = harness();
    const id = await conversation(h);
    await h.block(blockOf());
    const page = await listConversationMessages({ messaging: h.messaging })(MEMBER, id, { first: 10 });
    expect(page.items).toHaveLength(2);
  });

  test.each([
    ['a member outside the conversation', THIRD],
    ['an admin outside the conversation', ADMIN],
  ])('%s gets NOT_FOUND (CONVERSATION.NOT_FOUND) and no messages are read', async (_name, viewer) => {
    const h = harness();
    const id = await conversation(h);
    h.log.clear();
    const error = await rejectionOf(listConversationMessages({ messaging: h.messaging })(viewer, id, { first: 10 }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'CONVERSATION.NOT_FOUND' });
    expect(h.log.named('messaging.listMessages')).toEqual([]);
  });

  test('an unknown conversation is NOT_FOUND', async () => {
    const h = harness();
    await expect(
      listConversationMessages({ messaging: h.messaging })(MEMBER, 'abcdefabcdefabcdefabcdef', { first: 10 }),
    ).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'CONVERSATION.NOT_FOUND' });
  });
});

describe('own lists stay readable, also to blocked members', () => {
  test('listings, reservations and conversations of the viewer only', async () => {
    const h = harness();
    await ACTIONS.CREATE_LISTING.run(h, MEMBER);
    await ACTIONS.REQUEST_RESERVATION.run(h, MEMBER);
    await ACTIONS.SEND_MESSAGE.run(h, MEMBER);
    await h.block(blockOf());

    const listings = await listOwnListings({ listings: h.listings })(MEMBER, { first: 10 });
    const reservations = await listOwnReservations({ reservations: h.reservations })(MEMBER, { first: 10 });
    const conversations = await listOwnConversations({ messaging: h.messaging })(MEMBER, { first: 10 });
    expect(listings.items.map((listing) => listing.sharerId)).toEqual([IDS.member]);
    expect(reservations.items.map((request) => request.reserverId)).toEqual([IDS.member]);
    expect(conversations.items.map((summary) => [...summary.participantIds].sort())).toEqual([[IDS.member, IDS.third].sort()]);

    const othersListings = await listOwnListings({ listings: h.listings })(OTHER, { first: 10 });
    expect(othersListings.items.map((listing) => listing.id)).toEqual([LISTING_ID]);
  });
});

describe('getUser', () => {
  test('a member is refused with FORBIDDEN (USER.STAFF_ONLY) before any read', async () => {
    const h = harness();
    const error = await rejectionOf(getUser({ users: h.users })(MEMBER, IDS.other));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'USER.STAFF_ONLY' });
    expect(h.log.entries).toEqual([]);
  });

  test('a member asking about themself is refused too', async () => {
    const h = harness();
    await expect(getUser({ users: h.users })(MEMBER, IDS.member)).rejects.toMatchObject({ kind: 'FORBIDDEN' });
  });

  test('an admin gets the member, or null for an unknown id', async () => {
    const h = harness();
    await h.block(blockOf());
    const user = await getUser({ users: h.users })(ADMIN, IDS.member);
    expect(user?.id).toBe(IDS.member);
    expect(user?.isBlocked()).toBe(true);
    expect(await getUser({ users: h.users })(ADMIN, IDS.unknown)).toBeNull();
  });
});

describe('provisionMember', () => {
  test('delegates to the repository: the same externalId gives the same member, with a refreshed profile', async () => {
    const h = harness();
    const provision = provisionMember({ users: h.users });
    const first = await provision({ externalId: 'auth0|new', displayName: 'New', email: null, role: 'MEMBER' });
    const again = await provision({ externalId: 'auth0|new', displayName: 'Renamed', email: 'n@example.org', role: 'MEMBER' });
    expect(again.id).toBe(first.id);
    expect(again.displayName).toBe('Renamed');
    expect(h.log.named('users.provision')).toEqual(['users.provision auth0|new', 'users.provision auth0|new']);
  });
});
