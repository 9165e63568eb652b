import type { Actor } from '../../../domain/shared/domain-event';
import type { Clock } from '../../../domain/shared/clock';
import { PersonalUser, type BlockCommand, type PersonalUserProps } from '../../../domain/user/personal-user.aggregate';

export const DAY_MS = 86_400_000;

/** Readable, valid entity ids (24 lowercase hex characters). */
export const IDS = {
  admin: 'ad00000000000000000000a1',
  admin2: 'ad00000000000000000000a2',
  member: '0e00000000000000000000b1',
  other: '0e00000000000000000000b2',
  third: '0e00000000000000000000b3',
  unknown: 'ff00000000000000000000ff',
} as const;

export const CREATED_AT = new Date('2029-06-01T12:00:00.000Z');

export function userProps(overrides: Partial<PersonalUserProps> = {}): PersonalUserProps {
  return {
    id: IDS.member,
    externalId: 'auth0|member',
    displayName: 'Member',
    email: 'member@example.org',
    role: 'MEMBER',
    block: null,
    blockHistory: [],
    createdAt: CREATED_AT,
    version: 1,
    ...overrides,
  };
}

export function adminProps(overrides: Partial<PersonalUserProps> = {}): PersonalUserProps {
  return userProps({
    id: IDS.admin,
    externalId: 'auth0|admin',
    displayName: 'Admin',
    email: 'admin@example.org',
    role: 'ADMIN',
    ...overrides,
  });
}

export function memberAggregate(clock: Clock, overrides: Partial<PersonalUserProps> = {}): PersonalUser {
  return PersonalUser.rehydrate(userProps(overrides), clock);
}

export const ADMIN: Actor & { userId: string } = { userId: IDS.admin, isAdmin: true };
export const ADMIN_2: Actor & { userId: string } = { userId: IDS.admin2, isAdmin: true };
export const MEMBER_ACTOR: Actor & { userId: string } = { userId: IDS.other, isAdmin: false };

export function blockCommand(overrides: Partial<BlockCommand> = {}): BlockCommand {
  return {
    actor: ADMIN,
    reason: 'LATE_RETURN',
    duration: 'DAYS_7',
    userMessage: 'You returned the drill two weeks late.',
    adminNote: 'Third late return this year',
    correlationId: 'corr-block',
    ...overrides,
  };
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, it returned');
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it resolved');
}

/** Everything observable of a member's block state, deep-copied for before/after comparisons. */
export function blockStateOf(user: PersonalUser): unknown {
  return structuredClone({
    currentBlock: user.currentBlock,
    storedBlock: user.storedBlock,
    blockHistory: [...user.blockHistory],
    newHistoryEntries: [...user.newHistoryEntries],
    newEvents: [...user.newEvents],
    isBlocked: user.isBlocked(),
    accountStatus: user.accountStatus(),
  });
}

export const HEX_24 = /^[0-9a-f]{24}$/;
