import { PermissionError, ValidationError } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/domain-event';
import { TEXT_LIMITS } from '../../domain/shared/text-limits';
import type { BlockReason } from '../../domain/user/block';
import { PersonalUser, type ActionScope, type RestrictCommand } from '../../domain/user/personal-user.aggregate';
import type { Restriction } from '../../domain/user/restriction';
import { CATEGORY_SCOPED_ACTIONS, USER_ACTIONS, type UserAction } from '../../domain/user/user-action';
import { AccountBlockedError, ActionRestrictedError } from '../../domain/user/user.errors';
import { ADMIN, DAY_MS, HEX_24, IDS, MEMBER_ACTOR, blockCommand, blockStateOf, memberAggregate, thrownBy, userProps } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';

let clock: FakeClock;
let T0: Date;

beforeEach(() => {
  clock = new FakeClock('2030-01-01T00:00:00.000Z');
  T0 = clock.now();
});

const at = (ms: number): Date => new Date(T0.getTime() + ms);
const MODERATOR: Actor & { userId: string } = { userId: IDS.third, isAdmin: false, role: 'MODERATOR' };

function restrictCommand(overrides: Partial<RestrictCommand> = {}): RestrictCommand {
  return {
    actor: MODERATOR,
    actions: ['SEND_MESSAGE'],
    reason: 'INAPPROPRIATE_BEHAVIOR',
    duration: 'DAYS_30',
    userMessage: 'Messaging is paused for 30 days.',
    adminNote: 'Harassment report #12',
    correlationId: 'corr-restrict',
    ...overrides,
  };
}

function restricted(overrides: Partial<RestrictCommand> = {}): PersonalUser {
  const user = memberAggregate(clock);
  user.restrict(restrictCommand(overrides));
  return user;
}

function onlyRestrictionOf(user: PersonalUser): Restriction {
  expect(user.storedRestrictions).toHaveLength(1);
  return user.storedRestrictions[0]!;
}

// ---------------------------------------------------------------------------------------
// The guard: every action × every restriction state
// ---------------------------------------------------------------------------------------

type Outcome =
  | { kind: 'ALLOWED' }
  | { kind: 'RESTRICTED'; reason: BlockReason; userMessage: string; expiresAt: Date | null; category: string | null }
  | { kind: 'BLOCKED' };

interface GuardState {
  name: string;
  /** The member at T0 (clock moved as needed), the scope the action is checked with, the expected outcome. */
  build(action: UserAction): { user: PersonalUser; scope: ActionScope; expected: Outcome };
}

const OTHER_ACTION: Record<UserAction, UserAction> = {
  CREATE_LISTING: 'SEND_MESSAGE',
  REQUEST_RESERVATION: 'CREATE_LISTING',
  ACCEPT_RESERVATION: 'REQUEST_RESERVATION',
  SEND_MESSAGE: 'ACCEPT_RESERVATION',
};
const scoped = (action: UserAction) => CATEGORY_SCOPED_ACTIONS.includes(action);
const refusedFor30Days = (category: string | null = null): Outcome => ({
  kind: 'RESTRICTED',
  reason: 'LATE_RETURN',
  userMessage: 'Paused',
  expiresAt: at(30 * DAY_MS),
  category,
});
const onIt = (action: UserAction, extra: Partial<RestrictCommand> = {}) =>
  restricted({ actions: [action], reason: 'LATE_RETURN', userMessage: '  Paused ', ...extra });
/** A category-scoped restriction needs a listing action beside SEND_MESSAGE. */
const withListingAction = (action: UserAction): UserAction[] => (scoped(action) ? [action] : [action, 'CREATE_LISTING']);

const GUARD_STATES: GuardState[] = [
  { name: 'no restriction', build: () => ({ user: memberAggregate(clock), scope: {}, expected: { kind: 'ALLOWED' } }) },
  {
    name: 'a restriction on it',
    build: (action) => ({ user: onIt(action), scope: { category: 'Tools' }, expected: refusedFor30Days() }),
  },
  {
    name: 'a restriction on it, checked without a category',
    build: (action) => ({ user: onIt(action), scope: {}, expected: refusedFor30Days() }),
  },
  {
    name: 'a restriction on another action',
    build: (action) => ({ user: onIt(OTHER_ACTION[action]), scope: { category: 'Tools' }, expected: { kind: 'ALLOWED' } }),
  },
  {
    name: 'a restriction on every other action',
    build: (action) => ({
      user: restricted({ actions: USER_ACTIONS.filter((other) => other !== action) }),
      scope: { category: 'Tools' },
      expected: { kind: 'ALLOWED' },
    }),
  },
  {
    name: 'a category restriction, category in scope (other case and spaces)',
    build: (action) => ({
      user: onIt(action, { actions: withListingAction(action), categories: ['tools', 'Garden'] }),
      scope: { category: ' TOOLS ' },
      expected: refusedFor30Days(scoped(action) ? ' TOOLS ' : null),
    }),
  },
  {
    name: 'a category restriction, category out of scope',
    build: (action) => ({
      user: onIt(action, { actions: withListingAction(action), categories: ['Garden'] }),
      scope: { category: 'Tools' },
      // SEND_MESSAGE is never category-scoped: refused whatever the categories.
      expected: scoped(action) ? { kind: 'ALLOWED' } : refusedFor30Days(),
    }),
  },
  {
    name: 'a category restriction, checked before the category is known',
    build: (action) => ({
      user: onIt(action, { actions: withListingAction(action), categories: ['Garden'] }),
      scope: {},
      expected: scoped(action) ? { kind: 'ALLOWED' } : refusedFor30Days(),
    }),
  },
  {
    name: 'a restriction on it, 1 ms before it expires',
    build: (action) => {
      const user = onIt(action);
      clock.advance(30 * DAY_MS - 1);
      return { user, scope: { category: 'Tools' }, expected: refusedFor30Days() };
    },
  },
  {
    name: 'a restriction on it, expired (clock exactly at expiresAt), not settled',
    build: (action) => {
      const user = onIt(action);
      clock.advance(30 * DAY_MS);
      return { user, scope: { category: 'Tools' }, expected: { kind: 'ALLOWED' } };
    },
  },
  {
    name: 'a restriction on it, expired and settled',
    build: (action) => {
      const user = onIt(action);
      clock.advance(31 * DAY_MS);
      user.settleExpiredRestrictions('corr-settle');
      return { user, scope: { category: 'Tools' }, expected: { kind: 'ALLOWED' } };
    },
  },
  {
    name: 'an INDEFINITE restriction on it, ten years later',
    build: (action) => {
      const user = onIt(action, { duration: 'INDEFINITE' });
      clock.advance(3653 * DAY_MS);
      return { user, scope: {}, expected: { ...refusedFor30Days(), expiresAt: null } as Outcome };
    },
  },
  {
    name: 'a restriction on it, lifted',
    build: (action) => {
      const user = onIt(action);
      user.liftRestriction({ actor: ADMIN, restrictionId: onlyRestrictionOf(user).id, reason: 'Apologised', correlationId: 'c' });
      return { user, scope: { category: 'Tools' }, expected: { kind: 'ALLOWED' } };
    },
  },
  {
    name: 'two restrictions on it, one lifted',
    build: (action) => {
      const user = onIt(action);
      const first = onlyRestrictionOf(user).id;
      user.restrict(restrictCommand({ actions: [action], duration: 'DAYS_7', reason: 'OTHER', userMessage: 'Second' }));
      user.liftRestriction({ actor: ADMIN, restrictionId: first, reason: 'r', correlationId: 'c' });
      return {
        user,
        scope: {},
        expected: { kind: 'RESTRICTED', reason: 'OTHER', userMessage: 'Second', expiresAt: at(7 * DAY_MS), category: null },
      };
    },
  },
  {
    name: 'a restriction on it, rehydrated from the store',
    build: (action) => {
      const restriction: Restriction = {
        id: 'ab00000000000000000000c1',
        actions: [action],
        categories: null,
        reason: 'LATE_RETURN',
        duration: 'DAYS_30',
        userMessage: 'Paused',
        adminNote: null,
        createdAt: at(-DAY_MS),
        createdBy: IDS.admin,
        expiresAt: at(30 * DAY_MS),
      };
      return { user: memberAggregate(clock, { restrictions: [restriction] }), scope: {}, expected: refusedFor30Days() };
    },
  },
  {
    name: 'a restriction on it and a block above it',
    build: (action) => {
      const user = onIt(action);
      user.block(blockCommand());
      return { user, scope: {}, expected: { kind: 'BLOCKED' } };
    },
  },
  {
    name: 'a block only',
    build: () => {
      const user = memberAggregate(clock);
      user.block(blockCommand());
      return { user, scope: {}, expected: { kind: 'BLOCKED' } };
    },
  },
  {
    name: 'a restriction on it that survived a block, after unblock',
    build: (action) => {
      const user = onIt(action);
      user.block(blockCommand({ duration: 'INDEFINITE' }));
      clock.advance(DAY_MS);
      user.unblock({ actor: ADMIN, reason: 'Appeal accepted', correlationId: 'c' });
      return { user, scope: {}, expected: refusedFor30Days() };
    },
  },
  {
    name: 'a restriction on it that survived a block, after the block expired',
    build: (action) => {
      const user = onIt(action);
      user.block(blockCommand({ duration: 'DAYS_7' }));
      clock.advance(7 * DAY_MS);
      return { user, scope: {}, expected: refusedFor30Days() };
    },
  },
  {
    name: 'a restriction on it that ran out during a block, after unblock',
    build: (action) => {
      const user = onIt(action, { duration: 'DAYS_7' });
      user.block(blockCommand({ duration: 'INDEFINITE' }));
      clock.advance(8 * DAY_MS);
      user.unblock({ actor: ADMIN, reason: 'ok', correlationId: 'c' });
      return { user, scope: {}, expected: { kind: 'ALLOWED' } };
    },
  },
];

describe('validateUserCanPerformAction with restrictions', () => {
  const cases = USER_ACTIONS.flatMap((action) => GUARD_STATES.map((state) => [action, state.name, state] as const));

  test('the table covers every action in every state', () => {
    expect(cases).toHaveLength(USER_ACTIONS.length * GUARD_STATES.length);
  });

  test.each(cases)('%s by a member with %s', (action, _name, state) => {
    const { user, scope, expected } = state.build(action);
    const before = blockStateOf(user);
    const check = () => user.validateUserCanPerformAction(action, scope);
    switch (expected.kind) {
      case 'ALLOWED':
        expect(check).not.toThrow();
        break;
      case 'BLOCKED':
        expect(thrownBy(check)).toBeInstanceOf(AccountBlockedError);
        break;
      case 'RESTRICTED': {
        const error = thrownBy(check) as ActionRestrictedError;
        expect(error).toBeInstanceOf(ActionRestrictedError);
        const inForce = user.restrictionsInForce.find((restriction) => restriction.id === error.restrictionId);
        expect(inForce).toBeDefined();
        expect({
          kind: error.kind,
          code: error.code,
          action: error.action,
          reason: error.reason,
          userMessage: error.userMessage,
          expiresAt: error.expiresAt,
          category: error.category,
        }).toEqual({
          kind: 'ACTION_RESTRICTED',
          code: 'USER.ACTION_RESTRICTED',
          action,
          reason: expected.reason,
          userMessage: expected.userMessage,
          expiresAt: expected.expiresAt,
          category: expected.category,
        });
        break;
      }
    }
    // Checking never changes anything.
    expect(blockStateOf(user)).toEqual(before);
  });

  test.each(cases)('%s by a member with %s: the capability says the same', (action, _name, state) => {
    const { user, expected } = state.build(action);
    const capability = user.accountStatus().capabilities.find((entry) => entry.action === action)!;
    const scopedOnly = capability.allowed && capability.categories !== null;
    if (expected.kind === 'ALLOWED') {
      // Allowed here, perhaps refused in other categories.
      expect(capability.allowed).toBe(true);
      if (!scopedOnly) expect(capability).toMatchObject({ reason: null, userMessage: null, until: null });
    } else if (expected.kind === 'BLOCKED') {
      expect(capability).toMatchObject({ allowed: false, reason: 'LATE_RETURN', categories: null });
    } else if (expected.category !== null) {
      expect(capability).toMatchObject({ allowed: true, reason: expected.reason, until: expected.expiresAt });
      expect(capability.categories).toEqual(expect.arrayContaining(['tools']));
    } else {
      expect(capability).toEqual({
        action,
        allowed: false,
        categories: null,
        reason: expected.reason,
        userMessage: expected.userMessage,
        until: expected.expiresAt,
      });
    }
  });

  test('of several restrictions on one action, the error names the one lasting longest', () => {
    const user = restricted({ actions: ['SEND_MESSAGE'], duration: 'DAYS_7', userMessage: 'short' });
    user.restrict(restrictCommand({ actions: ['SEND_MESSAGE', 'CREATE_LISTING'], duration: 'DAYS_90', userMessage: 'long' }));
    user.restrict(restrictCommand({ actions: ['SEND_MESSAGE'], duration: 'DAYS_30', userMessage: 'middle' }));
    const error = thrownBy(() => user.validateUserCanPerformAction('SEND_MESSAGE')) as ActionRestrictedError;
    expect(error.userMessage).toBe('long');
    expect(error.expiresAt).toEqual(at(90 * DAY_MS));
  });

  test('a restriction on every category wins over a category restriction in the capability', () => {
    const user = restricted({ actions: ['CREATE_LISTING'], categories: ['Tools'], duration: 'DAYS_90' });
    user.restrict(restrictCommand({ actions: ['CREATE_LISTING'], duration: 'DAYS_7', userMessage: 'Everywhere' }));
    const capability = user.accountStatus().capabilities.find((entry) => entry.action === 'CREATE_LISTING');
    expect(capability).toMatchObject({ allowed: false, categories: null, userMessage: 'Everywhere', until: at(7 * DAY_MS) });
  });

  test('category restrictions on one action: the capability lists every refused category', () => {
    const user = restricted({ actions: ['REQUEST_RESERVATION'], categories: ['Tools'] });
    user.restrict(restrictCommand({ actions: ['REQUEST_RESERVATION'], categories: ['Garden', 'Bikes'] }));
    const capability = user.accountStatus().capabilities.find((entry) => entry.action === 'REQUEST_RESERVATION');
    expect(capability?.allowed).toBe(true);
    expect([...(capability?.categories ?? [])].sort()).toEqual(['Bikes', 'Garden', 'Tools']);
  });
});

// ---------------------------------------------------------------------------------------
// restrict(): validation and who may
// ---------------------------------------------------------------------------------------

describe('restrict: validation', () => {
  test.each<readonly [string, Partial<RestrictCommand>, string, string]>([
    ['no action', { actions: [] }, 'RESTRICTION.NO_ACTION', 'actions'],
    ['an unknown action', { actions: ['FLY' as UserAction] }, 'USER.UNKNOWN_ACTION', 'actions'],
    ['a repeated action', { actions: ['SEND_MESSAGE', 'SEND_MESSAGE'] }, 'RESTRICTION.DUPLICATE_ACTION', 'actions'],
    ['categories with SEND_MESSAGE alone', { actions: ['SEND_MESSAGE'], categories: ['Tools'] }, 'RESTRICTION.CATEGORIES_UNUSED', 'categories'],
    ['an empty category list', { actions: ['CREATE_LISTING'], categories: [] }, 'RESTRICTION.NO_CATEGORY', 'categories'],
    ['a blank category', { actions: ['CREATE_LISTING'], categories: ['  '] }, 'TEXT.TOO_SHORT', 'categories'],
    [
      'a category too long',
      { actions: ['CREATE_LISTING'], categories: ['c'.repeat(TEXT_LIMITS.listingCategory + 1)] },
      'TEXT.TOO_LONG',
      'categories',
    ],
    [
      'a category repeated in another case',
      { actions: ['CREATE_LISTING'], categories: ['Tools', ' tools'] },
      'RESTRICTION.DUPLICATE_CATEGORY',
      'categories',
    ],
    ['an unknown reason', { reason: 'BORED' as BlockReason }, 'USER.UNKNOWN_REASON', 'reason'],
    ['an unknown duration', { duration: 'DAYS_1' as RestrictCommand['duration'] }, 'USER.UNKNOWN_DURATION', 'duration'],
    ['a blank userMessage', { userMessage: ' \n ' }, 'TEXT.TOO_SHORT', 'userMessage'],
    ['a userMessage of 1001 characters', { userMessage: 'm'.repeat(1_001) }, 'TEXT.TOO_LONG', 'userMessage'],
    ['an adminNote of 4001 characters', { adminNote: 'n'.repeat(4_001) }, 'TEXT.TOO_LONG', 'adminNote'],
  ])('%s is BAD_USER_INPUT and changes nothing', (_name, overrides, code, field) => {
    const user = memberAggregate(clock);
    const before = blockStateOf(user);
    const error = thrownBy(() => user.restrict(restrictCommand(overrides)));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code, field });
    expect(blockStateOf(user)).toEqual(before);
    expect(user.storedRestrictions).toHaveLength(0);
  });

  test('limits at their edges are accepted: 1000-character message, 4000-character note, SEND_MESSAGE beside a listing action with categories', () => {
    const user = restricted({
      actions: ['SEND_MESSAGE', 'REQUEST_RESERVATION'],
      categories: [' Tools '],
      userMessage: 'm'.repeat(1_000),
      adminNote: 'n'.repeat(4_000),
    });
    expect(onlyRestrictionOf(user)).toMatchObject({ categories: ['Tools'], actions: ['SEND_MESSAGE', 'REQUEST_RESERVATION'] });
  });

  test.each<readonly [string, Actor, string]>([
    ['a member', MEMBER_ACTOR, 'USER.STAFF_ONLY'],
    ['the member themself, with a moderator role', { userId: IDS.member, isAdmin: false, role: 'MODERATOR' }, 'USER.SELF_ACTION'],
    ['the member themself, with an admin role', { userId: IDS.member, isAdmin: true, role: 'ADMIN' }, 'USER.SELF_ACTION'],
  ])('%s may not restrict (%s)', (_name, actor, code) => {
    const user = memberAggregate(clock);
    const error = thrownBy(() => user.restrict(restrictCommand({ actor })));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error).toMatchObject({ code });
    expect(user.newEvents).toHaveLength(0);
  });

  test('a moderator may not restrict another moderator; an admin may', () => {
    const moderator = PersonalUser.rehydrate(userProps({ role: 'MODERATOR' }), clock);
    expect(thrownBy(() => moderator.restrict(restrictCommand()))).toMatchObject({ code: 'USER.TARGET_RANK' });
    moderator.restrict(restrictCommand({ actor: ADMIN }));
    expect(moderator.accountStatus().state).toBe('RESTRICTED');
  });
});

// ---------------------------------------------------------------------------------------
// Life cycle: history entries, events, status
// ---------------------------------------------------------------------------------------

describe('restriction life cycle', () => {
  test('restrict stores the restriction, appends RESTRICTED and raises one user.restricted event', () => {
    const user = restricted({ actions: ['CREATE_LISTING', 'SEND_MESSAGE'], categories: ['Tools'], correlationId: 'corr-r' });
    const restriction = onlyRestrictionOf(user);
    expect(restriction).toEqual({
      id: expect.stringMatching(HEX_24),
      actions: ['CREATE_LISTING', 'SEND_MESSAGE'],
      categories: ['Tools'],
      reason: 'INAPPROPRIATE_BEHAVIOR',
      duration: 'DAYS_30',
      userMessage: 'Messaging is paused for 30 days.',
      adminNote: 'Harassment report #12',
      createdAt: T0,
      createdBy: IDS.third,
      expiresAt: at(30 * DAY_MS),
    });
    expect(user.newHistoryEntries).toEqual([
      {
        kind: 'RESTRICTED',
        at: T0,
        by: IDS.third,
        reason: 'INAPPROPRIATE_BEHAVIOR',
        duration: 'DAYS_30',
        note: 'Harassment report #12',
        restrictionId: restriction.id,
        actions: ['CREATE_LISTING', 'SEND_MESSAGE'],
        categories: ['Tools'],
      },
    ]);
    expect(user.newEvents).toHaveLength(1);
    const event = user.newEvents[0]!;
    expect(event).toMatchObject({ type: 'user.restricted', actorId: IDS.third, correlationId: 'corr-r', aggregateId: IDS.member });
    expect(event.payload.status).toMatchObject({ state: 'RESTRICTED', changedAt: T0, reason: null, expiresAt: null });
    // The note and the author stay out of every event.
    expect(JSON.stringify(event)).not.toContain('Harassment report');
    expect(event.payload.status.restrictions).toEqual([
      {
        id: restriction.id,
        userId: IDS.member,
        actions: ['CREATE_LISTING', 'SEND_MESSAGE'],
        categories: ['Tools'],
        reason: 'INAPPROPRIATE_BEHAVIOR',
        duration: 'DAYS_30',
        userMessage: 'Messaging is paused for 30 days.',
        createdAt: T0,
        expiresAt: at(30 * DAY_MS),
      },
    ]);
  });

  test('lift removes it, appends RESTRICTION_LIFTED with the reason and raises one event; ACTIVE again', () => {
    const user = restricted();
    const { id } = onlyRestrictionOf(user);
    clock.advance(DAY_MS);
    user.liftRestriction({ actor: ADMIN, restrictionId: id, reason: ' Apologised ', correlationId: 'corr-lift' });
    expect(user.storedRestrictions).toHaveLength(0);
    expect(user.blockHistory.at(-1)).toMatchObject({ kind: 'RESTRICTION_LIFTED', at: at(DAY_MS), by: IDS.admin, note: 'Apologised', restrictionId: id });
    expect(user.newEvents.map((event) => event.type)).toEqual(['user.restricted', 'user.restriction-lifted']);
    expect(user.newEvents[1]!.payload.status).toMatchObject({ state: 'ACTIVE', restrictions: [], changedAt: at(DAY_MS) });
  });

  test.each([
    ['an unknown id', (_user: PersonalUser) => 'ff00000000000000000000ff', 'RESTRICTION.NOT_FOUND'],
    [
      'an expired one',
      (user: PersonalUser) => {
        clock.advance(30 * DAY_MS);
        return onlyRestrictionOf(user).id;
      },
      'RESTRICTION.NOT_IN_FORCE',
    ],
  ])('lifting %s is refused and changes nothing', (_name, idOf, code) => {
    const user = restricted();
    const restrictionId = idOf(user);
    const before = blockStateOf(user);
    expect(thrownBy(() => user.liftRestriction({ actor: ADMIN, restrictionId, reason: 'r', correlationId: 'c' }))).toMatchObject({
      code,
    });
    expect(blockStateOf(user)).toEqual(before);
  });

  test('a moderator may not lift a restriction on themself', () => {
    const moderator = PersonalUser.rehydrate(userProps({ id: IDS.third, role: 'MODERATOR' }), clock);
    moderator.restrict(restrictCommand({ actor: ADMIN }));
    const { id } = onlyRestrictionOf(moderator);
    const error = thrownBy(() => moderator.liftRestriction({ actor: MODERATOR, restrictionId: id, reason: 'r', correlationId: 'c' }));
    expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'USER.SELF_ACTION' });
  });

  test('settle: one RESTRICTION_EXPIRED entry and event per lapsed restriction, at its expiresAt, oldest first; then nothing', () => {
    const user = restricted({ duration: 'DAYS_30', actions: ['SEND_MESSAGE'] });
    user.restrict(restrictCommand({ duration: 'DAYS_7', actions: ['CREATE_LISTING'] }));
    user.restrict(restrictCommand({ duration: 'INDEFINITE', actions: ['ACCEPT_RESERVATION'] }));
    clock.advance(40 * DAY_MS);
    expect(user.settleExpiredRestrictions('corr-settle')).toBe(2);
    expect(user.blockHistory.slice(-2).map((entry) => [entry.kind, entry.at, entry.by, entry.actions])).toEqual([
      ['RESTRICTION_EXPIRED', at(7 * DAY_MS), null, ['CREATE_LISTING']],
      ['RESTRICTION_EXPIRED', at(30 * DAY_MS), null, ['SEND_MESSAGE']],
    ]);
    // Each event carries the status as it is now: the indefinite restriction alone.
    expect(user.newEvents.slice(-2).map((event) => [event.type, event.actorId, event.payload.status.restrictions.length])).toEqual([
      ['user.restriction-expired', null, 1],
      ['user.restriction-expired', null, 1],
    ]);
    expect(user.accountStatus().state).toBe('RESTRICTED');
    const after = blockStateOf(user);
    expect(user.settleExpiredRestrictions('again')).toBe(0);
    expect(blockStateOf(user)).toEqual(after);
  });

  test('settle before expiry changes nothing', () => {
    const user = restricted({ duration: 'DAYS_7' });
    clock.advance(7 * DAY_MS - 1);
    const before = blockStateOf(user);
    expect(user.settleExpiredRestrictions('c')).toBe(0);
    expect(blockStateOf(user)).toEqual(before);
  });

  test('restricting settles the lapsed restrictions first, so the history stays in order', () => {
    const user = restricted({ duration: 'DAYS_7' });
    clock.advance(10 * DAY_MS);
    user.restrict(restrictCommand({ duration: 'DAYS_30' }));
    expect(user.blockHistory.map((entry) => entry.kind)).toEqual(['RESTRICTED', 'RESTRICTION_EXPIRED', 'RESTRICTED']);
    expect(user.storedRestrictions).toHaveLength(1);
  });

  test('a block neither removes nor settles restrictions; the status shows BLOCKED with the restrictions', () => {
    const user = restricted({ duration: 'DAYS_90' });
    user.block(blockCommand({ duration: 'DAYS_7' }));
    const status = user.accountStatus();
    expect(status.state).toBe('BLOCKED');
    expect(status.restrictions).toHaveLength(1);
    expect(status.capabilities.every((capability) => !capability.allowed)).toBe(true);
    clock.advance(7 * DAY_MS);
    expect(user.accountStatus().state).toBe('RESTRICTED');
  });

  test('status: changedAt follows the latest restriction change; expiry alone makes it ACTIVE', () => {
    const user = memberAggregate(clock);
    clock.advance(DAY_MS);
    user.restrict(restrictCommand({ duration: 'DAYS_7' }));
    expect(user.accountStatus()).toMatchObject({ state: 'RESTRICTED', changedAt: at(DAY_MS) });
    clock.advance(7 * DAY_MS);
    expect(user.accountStatus()).toMatchObject({ state: 'ACTIVE', restrictions: [], changedAt: at(8 * DAY_MS) });
  });

  test('nextStoredExpiry is the earliest stored expiry of the block and the restrictions', () => {
    const user = restricted({ duration: 'DAYS_30' });
    expect(user.nextStoredExpiry).toEqual(at(30 * DAY_MS));
    user.block(blockCommand({ duration: 'DAYS_7' }));
    expect(user.nextStoredExpiry).toEqual(at(7 * DAY_MS));
    user.restrict(restrictCommand({ duration: 'INDEFINITE' }));
    expect(user.nextStoredExpiry).toEqual(at(7 * DAY_MS));
  });

  test('ACTIVE member: one capability per action, all allowed', () => {
    expect(memberAggregate(clock).accountStatus().capabilities).toEqual(
      USER_ACTIONS.map((action) => ({ action, allowed: true, categories: null, reason: null, userMessage: null, until: null })),
    );
  });
});
