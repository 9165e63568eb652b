import { PermissionError, ValidationError } from '../../domain/shared/domain-error';
import { SYSTEM_ACTOR, type Actor } from '../../domain/shared/domain-event';
import { TEXT_LIMITS } from '../../domain/shared/text-limits';
import {
  BLOCK_DURATIONS,
  BLOCK_REASONS,
  type BlockDuration,
  type BlockReason,
  type BlockRecord,
} from '../../domain/user/block';
import { PersonalUser, type BlockCommand } from '../../domain/user/personal-user.aggregate';
import { USER_ACTIONS, type UserAction } from '../../domain/user/user-action';
import { AccountBlockedError } from '../../domain/user/user.errors';
import type { UserEvent } from '../../domain/user/user.events';
import {
  ADMIN,
  ADMIN_2,
  CREATED_AT,
  DAY_MS,
  HEX_24,
  IDS,
  MEMBER_ACTOR,
  adminProps,
  blockCommand,
  blockStateOf,
  memberAggregate,
  thrownBy,
  userProps,
} from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';
import { BLANK_TEXTS, astral, controlCharacterTexts } from './text-cases';

const FINITE: ReadonlyArray<readonly [BlockDuration, number]> = [
  ['DAYS_7', 7],
  ['DAYS_30', 30],
  ['DAYS_90', 90],
];

let clock: FakeClock;
let T0: Date;

beforeEach(() => {
  clock = new FakeClock('2030-01-01T00:00:00.000Z');
  T0 = clock.now();
});

const at = (ms: number): Date => new Date(T0.getTime() + ms);

/** A member blocked by ADMIN at T0 with `overrides`. */
function blockedMember(overrides: Partial<BlockCommand> = {}): PersonalUser {
  const user = memberAggregate(clock);
  user.block(blockCommand(overrides));
  return user;
}

function expectBlockedError(error: unknown, expected: { action: UserAction; reason: BlockReason; userMessage: string; expiresAt: Date | null }): void {
  expect(error).toBeInstanceOf(AccountBlockedError);
  const blocked = error as AccountBlockedError;
  expect(blocked.kind).toBe('ACCOUNT_BLOCKED');
  expect(blocked.code).toBe('USER.ACCOUNT_BLOCKED');
  expect(blocked.name).toBe('AccountBlockedError');
  expect(blocked.action).toBe(expected.action);
  expect(blocked.reason).toBe(expected.reason);
  expect(blocked.userMessage).toBe(expected.userMessage);
  expect(blocked.expiresAt).toEqual(expected.expiresAt);
}

function expectError(
  error: unknown,
  type: abstract new (...args: never[]) => Error,
  kind: string,
  code: string,
  field?: string,
): void {
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ kind, code });
  if (field !== undefined) expect(error).toMatchObject({ field });
}

describe('enums match the contract', () => {
  test('UserAction has exactly the contract members', () => {
    expect([...USER_ACTIONS].sort()).toEqual(['ACCEPT_RESERVATION', 'CREATE_LISTING', 'REQUEST_RESERVATION', 'SEND_MESSAGE']);
  });
  test('BlockReason has exactly the contract members', () => {
    expect([...BLOCK_REASONS].sort()).toEqual(
      ['INAPPROPRIATE_BEHAVIOR', 'ITEM_DAMAGE', 'LATE_RETURN', 'OTHER', 'POLICY_VIOLATION'].sort(),
    );
  });
  test('BlockDuration has exactly the contract members', () => {
    expect([...BLOCK_DURATIONS].sort()).toEqual(['DAYS_30', 'DAYS_7', 'DAYS_90', 'INDEFINITE']);
  });
});

// ---------------------------------------------------------------------------------------
// validateUserCanPerformAction: every action x every member state
// ---------------------------------------------------------------------------------------

interface Expected {
  reason: BlockReason;
  userMessage: string;
  expiresAt: Date | null;
}

interface MemberState {
  name: string;
  /** Builds the member at T0 and moves the clock; returns the block expected in force, if any. */
  build: () => { user: PersonalUser; inForce: Expected | null };
}

const STATES: MemberState[] = [
  { name: 'active (never blocked)', build: () => ({ user: memberAggregate(clock), inForce: null }) },
  ...FINITE.map(
    ([duration, days], index): MemberState => ({
      name: `blocked ${duration}, just placed`,
      build: () => {
        const reason = BLOCK_REASONS[index] as BlockReason;
        const user = blockedMember({ duration, reason, userMessage: `  Blocked for ${days} days  ` });
        return { user, inForce: { reason, userMessage: `Blocked for ${days} days`, expiresAt: at(days * DAY_MS) } };
      },
    }),
  ),
  ...FINITE.map(
    ([duration, days]): MemberState => ({
      name: `blocked ${duration}, 1 ms before expiresAt`,
      build: () => {
        const user = blockedMember({ duration, reason: 'ITEM_DAMAGE', userMessage: 'Damaged' });
        clock.advance(days * DAY_MS - 1);
        return { user, inForce: { reason: 'ITEM_DAMAGE', userMessage: 'Damaged', expiresAt: at(days * DAY_MS) } };
      },
    }),
  ),
  {
    name: 'blocked INDEFINITE',
    build: () => ({
      user: blockedMember({ duration: 'INDEFINITE', reason: 'POLICY_VIOLATION', userMessage: 'Forever' }),
      inForce: { reason: 'POLICY_VIOLATION', userMessage: 'Forever', expiresAt: null },
    }),
  },
  {
    name: 'blocked INDEFINITE, ten years later',
    build: () => {
      const user = blockedMember({ duration: 'INDEFINITE', reason: 'OTHER', userMessage: 'Forever' });
      clock.advance(3653 * DAY_MS);
      return { user, inForce: { reason: 'OTHER', userMessage: 'Forever', expiresAt: null } };
    },
  },
  {
    name: 'blocked by the system actor',
    build: () => ({
      user: blockedMember({ actor: SYSTEM_ACTOR, reason: 'INAPPROPRIATE_BEHAVIOR', userMessage: 'Automated' }),
      inForce: { reason: 'INAPPROPRIATE_BEHAVIOR', userMessage: 'Automated', expiresAt: at(7 * DAY_MS) },
    }),
  },
  {
    name: 'blocked, then the block replaced by a new one',
    build: () => {
      const user = blockedMember({ duration: 'DAYS_7', reason: 'LATE_RETURN', userMessage: 'first' });
      clock.advance(DAY_MS);
      user.block(blockCommand({ actor: ADMIN_2, duration: 'DAYS_30', reason: 'ITEM_DAMAGE', userMessage: 'second' }));
      return { user, inForce: { reason: 'ITEM_DAMAGE', userMessage: 'second', expiresAt: at(31 * DAY_MS) } };
    },
  },
  {
    name: 'blocked, rehydrated from the store',
    build: () => {
      const block = {
        reason: 'OTHER' as const,
        duration: 'DAYS_30' as const,
        userMessage: 'stored',
        adminNote: null,
        blockedAt: at(-DAY_MS),
        blockedBy: IDS.admin,
        expiresAt: at(29 * DAY_MS),
      };
      return {
        user: memberAggregate(clock, { block }),
        inForce: { reason: 'OTHER', userMessage: 'stored', expiresAt: at(29 * DAY_MS) },
      };
    },
  },
  ...FINITE.map(
    ([duration, days]): MemberState => ({
      name: `block ${duration} expired, clock exactly at expiresAt`,
      build: () => {
        const user = blockedMember({ duration });
        clock.advance(days * DAY_MS);
        return { user, inForce: null };
      },
    }),
  ),
  ...FINITE.map(
    ([duration, days]): MemberState => ({
      name: `block ${duration} expired, clock 1 ms past expiresAt`,
      build: () => {
        const user = blockedMember({ duration });
        clock.advance(days * DAY_MS + 1);
        return { user, inForce: null };
      },
    }),
  ),
  {
    name: 'block expired a year ago, never settled',
    build: () => {
      const user = blockedMember({ duration: 'DAYS_7' });
      clock.advance(372 * DAY_MS);
      return { user, inForce: null };
    },
  },
  {
    name: 'block expired and settled',
    build: () => {
      const user = blockedMember({ duration: 'DAYS_7' });
      clock.advance(8 * DAY_MS);
      user.settleExpiredBlock('corr-settle');
      return { user, inForce: null };
    },
  },
  {
    name: 'expired block, rehydrated from the store',
    build: () => {
      const block = {
        reason: 'OTHER' as const,
        duration: 'DAYS_7' as const,
        userMessage: 'stored',
        adminNote: null,
        blockedAt: at(-8 * DAY_MS),
        blockedBy: IDS.admin,
        expiresAt: at(-DAY_MS),
      };
      return { user: memberAggregate(clock, { block }), inForce: null };
    },
  },
  {
    name: 'unblocked',
    build: () => {
      const user = blockedMember({ duration: 'INDEFINITE' });
      clock.advance(DAY_MS);
      user.unblock({ actor: ADMIN, reason: 'Appeal accepted', correlationId: 'corr-unblock' });
      return { user, inForce: null };
    },
  },
  {
    name: 'unblocked after a replaced block',
    build: () => {
      const user = blockedMember({ duration: 'DAYS_7' });
      user.block(blockCommand({ duration: 'DAYS_90' }));
      user.unblock({ actor: SYSTEM_ACTOR, reason: 'Lifted', correlationId: 'corr-unblock' });
      return { user, inForce: null };
    },
  },
];

describe('validateUserCanPerformAction', () => {
  const cases = USER_ACTIONS.flatMap((action) => STATES.map((state) => [action, state.name, state] as const));

  test('the table covers every action in every state', () => {
    expect(cases).toHaveLength(USER_ACTIONS.length * STATES.length);
    expect(new Set(cases.map(([action]) => action))).toEqual(new Set(USER_ACTIONS));
  });

  test.each(cases)('%s by a member who is %s', (action, _name, state) => {
    const { user, inForce } = state.build();
    if (inForce === null) {
      expect(() => user.validateUserCanPerformAction(action)).not.toThrow();
      expect(user.isBlocked()).toBe(false);
      expect(user.currentBlock).toBeNull();
      expect(user.accountStatus().state).toBe('ACTIVE');
    } else {
      expectBlockedError(
        thrownBy(() => user.validateUserCanPerformAction(action)),
        { action, ...inForce },
      );
      expect(user.isBlocked()).toBe(true);
      expect(user.accountStatus().state).toBe('BLOCKED');
    }
  });

  test.each(cases)('checking %s (member %s) changes nothing and raises no event', (action, _name, state) => {
    const { user } = state.build();
    const before = blockStateOf(user);
    try {
      user.validateUserCanPerformAction(action);
    } catch {
      // blocked: asserted above
    }
    expect(blockStateOf(user)).toEqual(before);
  });

  test('the AccountBlockedError message carries the message written for the member', () => {
    const user = blockedMember({ userMessage: 'Please return the ladder' });
    const error = thrownBy(() => user.validateUserCanPerformAction('SEND_MESSAGE')) as AccountBlockedError;
    expect(error.message).toContain('Please return the ladder');
    expect(error).toBeInstanceOf(Error);
  });

  test.each([
    ['an active member', () => memberAggregate(clock)],
    ['a blocked member', () => blockedMember()],
  ])('an unknown action is refused for %s with USER.UNKNOWN_ACTION', (_name, build) => {
    const user = build();
    const error = thrownBy(() => user.validateUserCanPerformAction('DELETE_ACCOUNT' as UserAction));
    expectError(error, ValidationError, 'BAD_USER_INPUT', 'USER.UNKNOWN_ACTION', 'action');
  });

  test('the block stops restricting at expiresAt without anyone settling it', () => {
    const user = blockedMember({ duration: 'DAYS_7' });
    clock.set(at(7 * DAY_MS - 1));
    expect(() => user.validateUserCanPerformAction('CREATE_LISTING')).toThrow(AccountBlockedError);
    clock.set(at(7 * DAY_MS));
    expect(() => user.validateUserCanPerformAction('CREATE_LISTING')).not.toThrow();
    expect(user.storedBlock).not.toBeNull();
    expect(user.newEvents.map((event) => event.type)).toEqual(['user.blocked']);
  });
});

// ---------------------------------------------------------------------------------------
// block()
// ---------------------------------------------------------------------------------------

describe('block: who may block whom', () => {
  const refusals: ReadonlyArray<readonly [string, () => PersonalUser, Actor, string]> = [
    ['a member blocks another member', () => memberAggregate(clock), MEMBER_ACTOR, 'USER.STAFF_ONLY'],
    [
      'a member blocks themself',
      () => memberAggregate(clock),
      { userId: IDS.member, isAdmin: false },
      'USER.STAFF_ONLY',
    ],
    ['a member blocks an admin', () => PersonalUser.rehydrate(adminProps(), clock), MEMBER_ACTOR, 'USER.STAFF_ONLY'],
    ['an admin blocks themself', () => PersonalUser.rehydrate(adminProps(), clock), ADMIN, 'USER.SELF_ACTION'],
    [
      'an admin blocks another admin',
      () => PersonalUser.rehydrate(adminProps({ id: IDS.admin2 }), clock),
      ADMIN,
      'USER.ADMIN_TARGET',
    ],
    [
      'the system blocks an admin',
      () => PersonalUser.rehydrate(adminProps(), clock),
      SYSTEM_ACTOR,
      'USER.ADMIN_TARGET',
    ],
    [
      'an admin actor whose id is the (member) target',
      () => memberAggregate(clock),
      { userId: IDS.member, isAdmin: true },
      'USER.SELF_ACTION',
    ],
  ];

  test.each(refusals)('%s is refused', (_name, build, actor, code) => {
    const user = build();
    const before = blockStateOf(user);
    const error = thrownBy(() => user.block(blockCommand({ actor })));
    expectError(error, PermissionError, 'FORBIDDEN', code);
    expect(blockStateOf(user)).toEqual(before);
    expect(user.newEvents).toHaveLength(0);
    expect(user.newHistoryEntries).toHaveLength(0);
  });

  test('an admin blocks a member: blockedBy, history and event name the admin', () => {
    const user = memberAggregate(clock);
    user.block(blockCommand());
    expect(user.currentBlock?.blockedBy).toBe(IDS.admin);
    expect(user.blockHistory.at(-1)?.by).toBe(IDS.admin);
    expect(user.newEvents[0]?.actorId).toBe(IDS.admin);
  });

  test('the system actor (userId null) may block; blockedBy, history by and actorId are null', () => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ actor: SYSTEM_ACTOR }));
    expect(user.isBlocked()).toBe(true);
    expect(user.currentBlock?.blockedBy).toBeNull();
    expect(user.blockHistory).toHaveLength(1);
    expect(user.blockHistory[0]?.by).toBeNull();
    expect(user.newEvents).toHaveLength(1);
    expect(user.newEvents[0]?.actorId).toBeNull();
  });

  test('the permission check comes before input validation', () => {
    const user = memberAggregate(clock);
    const error = thrownBy(() => user.block(blockCommand({ actor: MEMBER_ACTOR, userMessage: '' })));
    expectError(error, PermissionError, 'FORBIDDEN', 'USER.STAFF_ONLY');
  });
});

describe('block: expiry per duration, from the injected clock', () => {
  test.each([
    ['DAYS_7', new Date('2030-01-08T00:00:00.000Z')],
    ['DAYS_30', new Date('2030-01-31T00:00:00.000Z')],
    ['DAYS_90', new Date('2030-04-01T00:00:00.000Z')],
    ['INDEFINITE', null],
  ] as const)('%s placed at 2030-01-01T00:00Z expires at %s', (duration, expiresAt) => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ duration }));
    expect(user.currentBlock).toMatchObject({ duration, blockedAt: T0, expiresAt });
    expect(user.accountStatus().expiresAt).toEqual(expiresAt);
    const event = user.newEvents[0] as UserEvent;
    expect(event.payload.status.expiresAt).toEqual(expiresAt);
    expect(user.blockHistory[0]).toMatchObject({ kind: 'BLOCKED', at: T0, duration });
  });

  test.each(FINITE)('%s follows the clock (placed at an arbitrary instant)', (duration, days) => {
    clock.set('2031-07-15T13:45:12.345Z');
    const user = memberAggregate(clock);
    user.block(blockCommand({ duration }));
    expect(user.currentBlock?.blockedAt).toEqual(new Date('2031-07-15T13:45:12.345Z'));
    expect(user.currentBlock?.expiresAt).toEqual(new Date(Date.parse('2031-07-15T13:45:12.345Z') + days * DAY_MS));
  });

  test.each(BLOCK_REASONS)('reason %s is accepted and kept', (reason) => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ reason }));
    expect(user.currentBlock?.reason).toBe(reason);
    expect(user.blockHistory[0]?.reason).toBe(reason);
    expect(user.accountStatus().reason).toBe(reason);
  });

  test.each([
    ['reason', { reason: 'SPAM' as BlockReason }, 'USER.UNKNOWN_REASON'],
    ['reason', { reason: 'late_return' as BlockReason }, 'USER.UNKNOWN_REASON'],
    ['reason', { reason: '' as BlockReason }, 'USER.UNKNOWN_REASON'],
    ['duration', { duration: 'DAYS_14' as BlockDuration }, 'USER.UNKNOWN_DURATION'],
    ['duration', { duration: 'indefinite' as BlockDuration }, 'USER.UNKNOWN_DURATION'],
    ['duration', { duration: undefined as unknown as BlockDuration }, 'USER.UNKNOWN_DURATION'],
  ] as const)('an unknown %s (%o) is refused with %s', (field, overrides, code) => {
    const user = memberAggregate(clock);
    const error = thrownBy(() => user.block(blockCommand(overrides)));
    expectError(error, ValidationError, 'BAD_USER_INPUT', code, field);
    expect(user.isBlocked()).toBe(false);
    expect(user.newEvents).toHaveLength(0);
  });
});

describe('block: userMessage', () => {
  const max = TEXT_LIMITS.userMessage;

  test('the limit is the contract one: 1000', () => {
    expect(max).toBe(1000);
  });

  test.each([
    ['one character', 'x', 'x'],
    ['surrounding whitespace is trimmed', '  \n\tPlease return it \n ', 'Please return it'],
    ['exactly 1000 characters', 'm'.repeat(max), 'm'.repeat(max)],
    ['1000 characters once trimmed', `   ${'m'.repeat(max)}   `, 'm'.repeat(max)],
    ['1000 astral characters (2000 UTF-16 units)', astral(max), astral(max)],
    ['inner newline', 'line 1\nline 2', 'line 1\nline 2'],
    ['inner tab', 'col 1\tcol 2', 'col 1\tcol 2'],
    ['accents and emoji', 'Zoë, bitte 😀', 'Zoë, bitte 😀'],
  ])('accepted: %s', (_name, userMessage, stored) => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ userMessage }));
    expect(user.currentBlock?.userMessage).toBe(stored);
    expect(user.accountStatus().userMessage).toBe(stored);
    expect((user.newEvents[0] as UserEvent).payload.status.userMessage).toBe(stored);
  });

  test.each([
    ...BLANK_TEXTS.map(([name, text]) => [`blank (${name})`, text, 'TEXT.TOO_SHORT'] as const),
    ['1001 characters', 'm'.repeat(max + 1), 'TEXT.TOO_LONG'] as const,
    ['1001 astral characters', astral(max + 1), 'TEXT.TOO_LONG'] as const,
    ...controlCharacterTexts().map(([name, text]) => [name, text, 'TEXT.CONTROL_CHARACTER'] as const),
  ])('refused: %s with %s', (_name, userMessage, code) => {
    const user = memberAggregate(clock);
    const error = thrownBy(() => user.block(blockCommand({ userMessage })));
    expectError(error, ValidationError, 'BAD_USER_INPUT', code, 'userMessage');
    expect(user.isBlocked()).toBe(false);
    expect(user.blockHistory).toHaveLength(0);
    expect(user.newEvents).toHaveLength(0);
  });
});

describe('block: adminNote', () => {
  const max = TEXT_LIMITS.adminNote;

  test('the limit is the contract one: 4000', () => {
    expect(max).toBe(4000);
  });

  test.each([
    ['absent', undefined, null],
    ['null', null, null],
    ['empty', '', null],
    ['blank', ' \n\t ', null],
    ['trimmed', '  repeat offender  ', 'repeat offender'],
    ['exactly 4000 characters', 'n'.repeat(max), 'n'.repeat(max)],
    ['4000 astral characters', astral(max), astral(max)],
    ['newline and tab inside', 'a\nb\tc', 'a\nb\tc'],
  ])('accepted: %s', (_name, adminNote, stored) => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ adminNote }));
    expect(user.currentBlock?.adminNote).toBe(stored);
    expect(user.blockHistory[0]?.note).toBe(stored);
  });

  test('the admin note is not part of the status the member sees', () => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ adminNote: 'secret note' }));
    expect(JSON.stringify(user.accountStatus())).not.toContain('secret note');
    expect(JSON.stringify((user.newEvents[0] as UserEvent).payload)).not.toContain('secret note');
  });

  test.each([
    ['4001 characters', 'n'.repeat(max + 1), 'TEXT.TOO_LONG'] as const,
    ...controlCharacterTexts().map(([name, text]) => [name, text, 'TEXT.CONTROL_CHARACTER'] as const),
  ])('refused: %s with %s', (_name, adminNote, code) => {
    const user = memberAggregate(clock);
    const error = thrownBy(() => user.block(blockCommand({ adminNote })));
    expectError(error, ValidationError, 'BAD_USER_INPUT', code, 'adminNote');
    expect(user.isBlocked()).toBe(false);
    expect(user.newEvents).toHaveLength(0);
  });
});

describe('block: replacing and re-blocking', () => {
  test('replacing a block in force keeps both BLOCKED entries and says replacedPrevious', () => {
    const user = blockedMember({ duration: 'DAYS_7', reason: 'LATE_RETURN', userMessage: 'first', adminNote: 'n1' });
    clock.advance(2 * DAY_MS);
    const second = clock.now();
    user.block(
      blockCommand({ actor: ADMIN_2, duration: 'INDEFINITE', reason: 'ITEM_DAMAGE', userMessage: 'second', adminNote: null, correlationId: 'c2' }),
    );

    expect(user.blockHistory).toEqual<BlockRecord[]>([
      { kind: 'BLOCKED', at: T0, by: IDS.admin, reason: 'LATE_RETURN', duration: 'DAYS_7', note: 'n1' },
      { kind: 'BLOCKED', at: second, by: IDS.admin2, reason: 'ITEM_DAMAGE', duration: 'INDEFINITE', note: null },
    ]);
    expect(user.currentBlock).toEqual({
      reason: 'ITEM_DAMAGE',
      duration: 'INDEFINITE',
      userMessage: 'second',
      adminNote: null,
      blockedAt: second,
      blockedBy: IDS.admin2,
      expiresAt: null,
    });
    expect(user.newEvents.map((event) => [event.type, (event.payload as { replacedPrevious?: boolean }).replacedPrevious])).toEqual([
      ['user.blocked', false],
      ['user.blocked', true],
    ]);
    expect(user.newEvents[1]?.correlationId).toBe('c2');
    expect(user.newEvents[1]?.actorId).toBe(IDS.admin2);
  });

  test.each([
    ['exactly at expiresAt', 7 * DAY_MS],
    ['a day after expiresAt', 8 * DAY_MS],
  ])('blocking after an expired block (%s) writes EXPIRED then BLOCKED', (_name, later) => {
    const user = blockedMember({ duration: 'DAYS_7', reason: 'LATE_RETURN' });
    clock.advance(later);
    const now = clock.now();
    user.block(blockCommand({ duration: 'DAYS_30', reason: 'OTHER', correlationId: 'c-again' }));

    expect(user.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED', 'EXPIRED', 'BLOCKED']);
    expect(user.blockHistory[1]).toEqual<BlockRecord>({
      kind: 'EXPIRED',
      at: at(7 * DAY_MS),
      by: null,
      reason: 'LATE_RETURN',
      duration: 'DAYS_7',
      note: null,
    });
    expect(user.blockHistory[2]).toMatchObject({ kind: 'BLOCKED', at: now, reason: 'OTHER', duration: 'DAYS_30' });
    expect(user.newEvents.map((event) => event.type)).toEqual(['user.blocked', 'user.block-expired', 'user.blocked']);
    const [, expired, blocked] = user.newEvents;
    expect(expired).toMatchObject({ actorId: null, correlationId: 'c-again', occurredAt: now });
    expect(expired?.payload.status).toMatchObject({ state: 'ACTIVE', changedAt: at(7 * DAY_MS) });
    expect(blocked?.payload).toMatchObject({ replacedPrevious: false, status: { state: 'BLOCKED', blockedAt: now } });
    expect(user.currentBlock?.expiresAt).toEqual(new Date(now.getTime() + 30 * DAY_MS));
  });

  test('blocking after an unblock says replacedPrevious false and writes no EXPIRED entry', () => {
    const user = blockedMember();
    user.unblock({ actor: ADMIN, reason: 'ok', correlationId: 'c' });
    user.block(blockCommand());
    expect(user.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED', 'UNBLOCKED', 'BLOCKED']);
    expect(user.newEvents.at(-1)?.payload).toMatchObject({ replacedPrevious: false });
  });
});

// ---------------------------------------------------------------------------------------
// Refused commands lose nothing
// ---------------------------------------------------------------------------------------

describe('a refused command leaves the member unchanged', () => {
  const startingStates: ReadonlyArray<readonly [string, () => PersonalUser]> = [
    ['active', () => memberAggregate(clock)],
    ['blocked (in force)', () => blockedMember({ duration: 'DAYS_30' })],
    [
      'blocked, expired, not settled',
      () => {
        const user = blockedMember({ duration: 'DAYS_7' });
        clock.advance(10 * DAY_MS);
        return user;
      },
    ],
    [
      'with older history, rehydrated',
      () =>
        memberAggregate(clock, {
          blockHistory: [
            { kind: 'BLOCKED', at: at(-9 * DAY_MS), by: IDS.admin, reason: 'OTHER', duration: 'DAYS_7', note: null },
            { kind: 'UNBLOCKED', at: at(-8 * DAY_MS), by: IDS.admin, reason: 'OTHER', duration: 'DAYS_7', note: 'ok' },
          ],
        }),
    ],
  ];

  const refusedCommands: ReadonlyArray<readonly [string, (user: PersonalUser) => void, string]> = [
    ['block by a member', (user) => user.block(blockCommand({ actor: MEMBER_ACTOR })), 'USER.STAFF_ONLY'],
    ['block with a blank userMessage', (user) => user.block(blockCommand({ userMessage: '  ' })), 'TEXT.TOO_SHORT'],
    ['block with a 1001-char userMessage', (user) => user.block(blockCommand({ userMessage: 'x'.repeat(1001) })), 'TEXT.TOO_LONG'],
    ['block with a NUL in userMessage', (user) => user.block(blockCommand({ userMessage: 'a\x00b' })), 'TEXT.CONTROL_CHARACTER'],
    ['block with a 4001-char adminNote', (user) => user.block(blockCommand({ adminNote: 'x'.repeat(4001) })), 'TEXT.TOO_LONG'],
    ['block with a NUL in adminNote', (user) => user.block(blockCommand({ adminNote: 'a\x00' })), 'TEXT.CONTROL_CHARACTER'],
    ['block with an unknown reason', (user) => user.block(blockCommand({ reason: 'NOPE' as BlockReason })), 'USER.UNKNOWN_REASON'],
    ['block with an unknown duration', (user) => user.block(blockCommand({ duration: 'NOPE' as BlockDuration })), 'USER.UNKNOWN_DURATION'],
    [
      'block by an admin actor with the target id',
      (user) => user.block(blockCommand({ actor: { userId: user.id, isAdmin: true } })),
      'USER.SELF_ACTION',
    ],
    ['unblock by a member', (user) => user.unblock({ actor: MEMBER_ACTOR, reason: 'r', correlationId: 'c' }), 'USER.STAFF_ONLY'],
    ['unblock with a blank reason', (user) => user.unblock({ actor: ADMIN, reason: ' \n ', correlationId: 'c' }), 'TEXT.TOO_SHORT'],
    ['unblock with a 1001-char reason', (user) => user.unblock({ actor: ADMIN, reason: 'r'.repeat(1001), correlationId: 'c' }), 'TEXT.TOO_LONG'],
    ['unblock with a control character', (user) => user.unblock({ actor: ADMIN, reason: 'r\x1b', correlationId: 'c' }), 'TEXT.CONTROL_CHARACTER'],
  ];

  const cases = startingStates.flatMap(([stateName, build]) =>
    refusedCommands.map(([commandName, run, code]) => [commandName, stateName, build, run, code] as const),
  );

  test.each(cases)('%s, member %s', (_command, _state, build, run, code) => {
    const user = build();
    const before = blockStateOf(user);
    const error = thrownBy(() => run(user));
    expect(error).toMatchObject({ code });
    expect(blockStateOf(user)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------
// unblock()
// ---------------------------------------------------------------------------------------

describe('unblock', () => {
  test.each([
    ['a 7-day block', 'DAYS_7'],
    ['a 90-day block', 'DAYS_90'],
    ['an indefinite block', 'INDEFINITE'],
  ] as const)('an admin lifts %s: ACTIVE, UNBLOCKED entry with by and note, one event', (_name, duration) => {
    const user = blockedMember({ duration, reason: 'ITEM_DAMAGE' });
    clock.advance(3 * DAY_MS);
    const now = clock.now();
    user.unblock({ actor: ADMIN_2, reason: '  Appeal accepted  ', correlationId: 'corr-unblock' });

    expect(user.isBlocked()).toBe(false);
    expect(user.currentBlock).toBeNull();
    expect(user.storedBlock).toBeNull();
    expect(user.blockHistory.at(-1)).toEqual<BlockRecord>({
      kind: 'UNBLOCKED',
      at: now,
      by: IDS.admin2,
      reason: 'ITEM_DAMAGE',
      duration,
      note: 'Appeal accepted',
    });
    expect(user.newEvents.map((event) => event.type)).toEqual(['user.blocked', 'user.unblocked']);
    expect(user.newEvents[1]).toEqual({
      id: expect.stringMatching(HEX_24),
      type: 'user.unblocked',
      aggregateId: IDS.member,
      occurredAt: now,
      actorId: IDS.admin2,
      correlationId: 'corr-unblock',
      payload: {
        reason: 'Appeal accepted',
        status: {
          userId: IDS.member,
          state: 'ACTIVE',
          reason: null,
          userMessage: null,
          blockedAt: null,
          expiresAt: null,
          changedAt: now,
          restrictions: [],
          capabilities: expect.any(Array),
        },
      },
    });
    expect(() => user.validateUserCanPerformAction('SEND_MESSAGE')).not.toThrow();
  });

  test('`via` prefixes the history note', () => {
    const user = blockedMember();
    user.unblock({ actor: ADMIN, reason: 'approved', via: 'appeal 42', correlationId: 'c' });
    expect(user.blockHistory.at(-1)?.note).toBe('appeal 42: approved');
    expect((user.newEvents.at(-1) as UserEvent).payload).toMatchObject({ reason: 'approved' });
  });

  test('the system actor may unblock; by and actorId are null', () => {
    const user = blockedMember();
    user.unblock({ actor: SYSTEM_ACTOR, reason: 'automated review', correlationId: 'c' });
    expect(user.blockHistory.at(-1)).toMatchObject({ kind: 'UNBLOCKED', by: null });
    expect(user.newEvents.at(-1)?.actorId).toBeNull();
  });

  test('a member may not unblock: PermissionError USER.STAFF_ONLY, still blocked', () => {
    const user = blockedMember();
    const error = thrownBy(() => user.unblock({ actor: MEMBER_ACTOR, reason: 'pls', correlationId: 'c' }));
    expectError(error, PermissionError, 'FORBIDDEN', 'USER.STAFF_ONLY');
    expect(user.isBlocked()).toBe(true);
    expect(user.newEvents).toHaveLength(1);
  });

  test.each([
    ['exactly 1000 characters', 'r'.repeat(1000), 'r'.repeat(1000)],
    ['trimmed', '\n reason \t', 'reason'],
    ['multi-line', 'line 1\nline 2', 'line 1\nline 2'],
  ])('reason accepted: %s', (_name, reason, stored) => {
    const user = blockedMember();
    user.unblock({ actor: ADMIN, reason, correlationId: 'c' });
    expect(user.blockHistory.at(-1)?.note).toBe(stored);
  });

  test.each([
    ...BLANK_TEXTS.map(([name, text]) => [`blank (${name})`, text, 'TEXT.TOO_SHORT'] as const),
    ['1001 characters', 'r'.repeat(1001), 'TEXT.TOO_LONG'] as const,
    ...controlCharacterTexts().map(([name, text]) => [name, text, 'TEXT.CONTROL_CHARACTER'] as const),
  ])('reason refused: %s with %s', (_name, reason, code) => {
    const user = blockedMember();
    const error = thrownBy(() => user.unblock({ actor: ADMIN, reason, correlationId: 'c' }));
    expectError(error, ValidationError, 'BAD_USER_INPUT', code, 'reason');
    expect(user.isBlocked()).toBe(true);
  });

  test.each<readonly [string, () => PersonalUser]>([
    ['never blocked', () => memberAggregate(clock)],
    [
      'already unblocked',
      () => {
        const user = blockedMember();
        user.unblock({ actor: ADMIN, reason: 'first', correlationId: 'c' });
        return user;
      },
    ],
    [
      'block expired exactly at expiresAt',
      () => {
        const user = blockedMember({ duration: 'DAYS_7' });
        clock.advance(7 * DAY_MS);
        return user;
      },
    ],
    [
      'block expired and settled',
      () => {
        const user = blockedMember({ duration: 'DAYS_30' });
        clock.advance(31 * DAY_MS);
        user.settleExpiredBlock('c');
        return user;
      },
    ],
  ])('refused with ValidationError USER.NOT_BLOCKED when %s', (_name, build) => {
    const user = build();
    const before = blockStateOf(user);
    const error = thrownBy(() => user.unblock({ actor: ADMIN, reason: 'why not', correlationId: 'c' }));
    expectError(error, ValidationError, 'BAD_USER_INPUT', 'USER.NOT_BLOCKED', 'userId');
    expect(blockStateOf(user)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------
// settleExpiredBlock()
// ---------------------------------------------------------------------------------------

describe('settleExpiredBlock', () => {
  test.each<readonly [string, () => PersonalUser]>([
    ['never blocked', () => memberAggregate(clock)],
    ['a block in force', () => blockedMember({ duration: 'DAYS_7' })],
    [
      'a block 1 ms before expiry',
      () => {
        const user = blockedMember({ duration: 'DAYS_7' });
        clock.advance(7 * DAY_MS - 1);
        return user;
      },
    ],
    [
      'an indefinite block, a century later',
      () => {
        const user = blockedMember({ duration: 'INDEFINITE' });
        clock.advance(36_525 * DAY_MS);
        return user;
      },
    ],
    [
      'an unblocked member',
      () => {
        const user = blockedMember();
        user.unblock({ actor: ADMIN, reason: 'ok', correlationId: 'c' });
        return user;
      },
    ],
  ])('returns false and changes nothing for %s', (_name, build) => {
    const user = build();
    const before = blockStateOf(user);
    expect(user.settleExpiredBlock('corr-settle')).toBe(false);
    expect(blockStateOf(user)).toEqual(before);
  });

  test.each([
    ['exactly at expiresAt', 0],
    ['an hour after expiresAt', 3_600_000],
  ])('%s: true once, EXPIRED entry at expiresAt by null, one event, then false', (_name, lateBy) => {
    const user = blockedMember({ duration: 'DAYS_30', reason: 'POLICY_VIOLATION' });
    const expiresAt = at(30 * DAY_MS);
    clock.set(new Date(expiresAt.getTime() + lateBy));
    const now = clock.now();

    expect(user.settleExpiredBlock('corr-settle')).toBe(true);
    expect(user.storedBlock).toBeNull();
    expect(user.blockHistory.at(-1)).toEqual<BlockRecord>({
      kind: 'EXPIRED',
      at: expiresAt,
      by: null,
      reason: 'POLICY_VIOLATION',
      duration: 'DAYS_30',
      note: null,
    });
    expect(user.newEvents.at(-1)).toEqual({
      id: expect.stringMatching(HEX_24),
      type: 'user.block-expired',
      aggregateId: IDS.member,
      occurredAt: now,
      actorId: null,
      correlationId: 'corr-settle',
      payload: {
        status: {
          userId: IDS.member,
          state: 'ACTIVE',
          reason: null,
          userMessage: null,
          blockedAt: null,
          expiresAt: null,
          changedAt: expiresAt,
          restrictions: [],
          capabilities: expect.any(Array),
        },
        lapsed: { reason: 'POLICY_VIOLATION', duration: 'DAYS_30', expiresAt },
      },
    });

    const after = blockStateOf(user);
    expect(user.settleExpiredBlock('corr-settle-again')).toBe(false);
    expect(blockStateOf(user)).toEqual(after);
    expect(user.blockHistory.filter((entry) => entry.kind === 'EXPIRED')).toHaveLength(1);
    expect(user.newEvents.filter((event) => event.type === 'user.block-expired')).toHaveLength(1);
  });

  test('an expired block rehydrated from the store is settled with its own expiresAt', () => {
    const user = memberAggregate(clock, {
      block: {
        reason: 'LATE_RETURN',
        duration: 'DAYS_7',
        userMessage: 'old',
        adminNote: null,
        blockedAt: at(-10 * DAY_MS),
        blockedBy: IDS.admin,
        expiresAt: at(-3 * DAY_MS),
      },
    });
    expect(user.settleExpiredBlock('c')).toBe(true);
    expect(user.newHistoryEntries).toEqual([
      { kind: 'EXPIRED', at: at(-3 * DAY_MS), by: null, reason: 'LATE_RETURN', duration: 'DAYS_7', note: null },
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Events and "new since rehydrate"
// ---------------------------------------------------------------------------------------

describe('events', () => {
  test('block raises exactly one user.blocked event with the full shape', () => {
    const user = memberAggregate(clock);
    user.block(
      blockCommand({ reason: 'ITEM_DAMAGE', duration: 'DAYS_30', userMessage: ' Broken ladder ', correlationId: 'corr-42' }),
    );
    expect(user.newEvents).toHaveLength(1);
    expect(user.newEvents[0]).toEqual({
      id: expect.stringMatching(HEX_24),
      type: 'user.blocked',
      aggregateId: IDS.member,
      occurredAt: T0,
      actorId: IDS.admin,
      correlationId: 'corr-42',
      payload: {
        replacedPrevious: false,
        duration: 'DAYS_30',
        status: {
          userId: IDS.member,
          state: 'BLOCKED',
          reason: 'ITEM_DAMAGE',
          userMessage: 'Broken ladder',
          blockedAt: T0,
          expiresAt: at(30 * DAY_MS),
          changedAt: T0,
          restrictions: [],
          capabilities: expect.any(Array),
        },
      },
    });
  });

  test('every event gets its own id', () => {
    const user = blockedMember({ duration: 'DAYS_7' });
    user.block(blockCommand());
    user.unblock({ actor: ADMIN, reason: 'r', correlationId: 'c' });
    user.block(blockCommand({ duration: 'DAYS_7' }));
    clock.advance(8 * DAY_MS);
    user.settleExpiredBlock('c');
    const ids = user.newEvents.map((event) => event.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  test('one event per real state change, in order, across a sequence of commands', () => {
    const user = memberAggregate(clock);
    user.block(blockCommand({ duration: 'DAYS_7' }));
    expect(() => user.unblock({ actor: MEMBER_ACTOR, reason: 'r', correlationId: 'c' })).toThrow();
    user.unblock({ actor: ADMIN, reason: 'r', correlationId: 'c' });
    expect(() => user.unblock({ actor: ADMIN, reason: 'again', correlationId: 'c' })).toThrow();
    expect(user.settleExpiredBlock('c')).toBe(false);
    user.block(blockCommand({ duration: 'DAYS_7' }));
    clock.advance(7 * DAY_MS);
    expect(user.settleExpiredBlock('c')).toBe(true);
    expect(user.settleExpiredBlock('c')).toBe(false);

    expect(user.newEvents.map((event) => event.type)).toEqual([
      'user.blocked',
      'user.unblocked',
      'user.blocked',
      'user.block-expired',
    ]);
    expect(user.blockHistory.map((entry) => entry.kind)).toEqual(['BLOCKED', 'UNBLOCKED', 'BLOCKED', 'EXPIRED']);
  });

  test('newHistoryEntries and newEvents hold only what changed since rehydrate', () => {
    const old: BlockRecord[] = [
      { kind: 'BLOCKED', at: at(-20 * DAY_MS), by: IDS.admin, reason: 'OTHER', duration: 'DAYS_7', note: null },
      { kind: 'EXPIRED', at: at(-13 * DAY_MS), by: null, reason: 'OTHER', duration: 'DAYS_7', note: null },
    ];
    const props = userProps({ blockHistory: old });
    const user = PersonalUser.rehydrate(props, clock);
    expect(user.newHistoryEntries).toEqual([]);
    expect(user.newEvents).toEqual([]);
    expect(user.blockHistory).toEqual(old);

    user.block(blockCommand());
    expect(user.blockHistory).toHaveLength(3);
    expect(user.newHistoryEntries).toEqual([user.blockHistory[2]]);
    expect(user.newEvents.map((event) => event.type)).toEqual(['user.blocked']);

    // the props handed to rehydrate are not mutated
    expect(props.blockHistory).toHaveLength(2);
    expect(props.block).toBeNull();

    // a fresh rehydrate of the same props starts clean
    const again = PersonalUser.rehydrate(props, clock);
    expect(again.newHistoryEntries).toEqual([]);
    expect(again.newEvents).toEqual([]);
    expect(again.isBlocked()).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// accountStatus()
// ---------------------------------------------------------------------------------------

describe('accountStatus', () => {
  test('never blocked: ACTIVE, changedAt is createdAt', () => {
    expect(memberAggregate(clock).accountStatus()).toEqual({
      userId: IDS.member,
      state: 'ACTIVE',
      reason: null,
      userMessage: null,
      blockedAt: null,
      expiresAt: null,
      changedAt: CREATED_AT,
      restrictions: [],
      capabilities: expect.any(Array),
    });
  });

  test('blocked: BLOCKED with reason, userMessage, blockedAt, expiresAt; changedAt is blockedAt', () => {
    const user = blockedMember({ reason: 'OTHER', userMessage: 'msg', duration: 'DAYS_90' });
    clock.advance(DAY_MS);
    expect(user.accountStatus()).toEqual({
      userId: IDS.member,
      state: 'BLOCKED',
      reason: 'OTHER',
      userMessage: 'msg',
      blockedAt: T0,
      expiresAt: at(90 * DAY_MS),
      changedAt: T0,
      restrictions: [],
      capabilities: expect.any(Array),
    });
  });

  test('blocked indefinitely: expiresAt null', () => {
    const user = blockedMember({ duration: 'INDEFINITE' });
    expect(user.accountStatus()).toMatchObject({ state: 'BLOCKED', expiresAt: null, changedAt: T0 });
  });

  test.each([
    ['expired, not settled', false],
    ['expired and settled', true],
  ])('%s: ACTIVE, changedAt is expiresAt', (_name, settle) => {
    const user = blockedMember({ duration: 'DAYS_7' });
    clock.advance(9 * DAY_MS);
    if (settle) user.settleExpiredBlock('c');
    expect(user.accountStatus()).toEqual({
      userId: IDS.member,
      state: 'ACTIVE',
      reason: null,
      userMessage: null,
      blockedAt: null,
      expiresAt: null,
      changedAt: at(7 * DAY_MS),
      restrictions: [],
      capabilities: expect.any(Array),
    });
  });

  test('unblocked: ACTIVE, changedAt is the unblock time', () => {
    const user = blockedMember({ duration: 'INDEFINITE' });
    clock.advance(5 * DAY_MS);
    user.unblock({ actor: ADMIN, reason: 'r', correlationId: 'c' });
    clock.advance(DAY_MS);
    expect(user.accountStatus()).toMatchObject({ state: 'ACTIVE', changedAt: at(5 * DAY_MS) });
  });

  test('rehydrated with history and no block: ACTIVE, changedAt is the last history entry', () => {
    const user = memberAggregate(clock, {
      blockHistory: [
        { kind: 'BLOCKED', at: at(-9 * DAY_MS), by: IDS.admin, reason: 'OTHER', duration: 'INDEFINITE', note: null },
        { kind: 'UNBLOCKED', at: at(-4 * DAY_MS), by: IDS.admin, reason: 'OTHER', duration: 'INDEFINITE', note: 'r' },
      ],
    });
    expect(user.accountStatus()).toMatchObject({ state: 'ACTIVE', changedAt: at(-4 * DAY_MS) });
  });

  test('isBlocked, currentBlock and storedBlock across a block life cycle', () => {
    const user = blockedMember({ duration: 'DAYS_7' });
    expect([user.isBlocked(), user.currentBlock !== null, user.storedBlock !== null]).toEqual([true, true, true]);
    clock.advance(7 * DAY_MS);
    expect([user.isBlocked(), user.currentBlock !== null, user.storedBlock !== null]).toEqual([false, false, true]);
    user.settleExpiredBlock('c');
    expect([user.isBlocked(), user.currentBlock !== null, user.storedBlock !== null]).toEqual([false, false, false]);
  });
});

describe('profile getters', () => {
  test('expose the rehydrated props', () => {
    const user = PersonalUser.rehydrate(adminProps({ version: 7 }), clock);
    expect({
      id: user.id,
      externalId: user.externalId,
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      isAdmin: user.isAdmin,
      createdAt: user.createdAt,
      version: user.version,
    }).toEqual({
      id: IDS.admin,
      externalId: 'auth0|admin',
      displayName: 'Admin',
      email: 'admin@example.org',
      role: 'ADMIN',
      isAdmin: true,
      createdAt: CREATED_AT,
      version: 7,
    });
    expect(memberAggregate(clock).isAdmin).toBe(false);
  });
});
