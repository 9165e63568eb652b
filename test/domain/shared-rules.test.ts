import {
  ConcurrencyError,
  DomainError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from '../../domain/shared/domain-error';
import { SYSTEM_ACTOR } from '../../domain/shared/domain-event';
import { isEntityId, newEntityId } from '../../domain/shared/entity-id';
import { optionalText, requireText } from '../../domain/shared/text';
import { BLOCK_DURATIONS, expiryOf, isInForce, type Block, type BlockDuration } from '../../domain/user/block';
import { roleErrors } from '../../domain/user/role-table';
import { AccountBlockedError, ActionRestrictedError, restrictionErrors, userErrors } from '../../domain/user/user.errors';
import { statusOf, type UserEvent } from '../../domain/user/user.events';
import { listingErrors } from '../../domain/listing/listing.errors';
import { messagingErrors } from '../../domain/messaging/messaging.errors';
import { DAY_MS, thrownBy } from './fakes/builders';
import { BIDI_CONTROL_TEXTS, BLANK_TEXTS, FORBIDDEN_CONTROL_CHARACTERS, LONE_SURROGATE_TEXTS, astral } from './text-cases';

const RULE = { field: 'f', min: 1, max: 5 };

describe('requireText', () => {
  test.each([
    ['plain', 'abc', 'abc'],
    ['trimmed', ' \t abc \n', 'abc'],
    ['max code points', 'abcde', 'abcde'],
    ['max astral code points', astral(5), astral(5)],
    ['newline and tab kept inside', 'a\nb\tc', 'a\nb\tc'],
    ['leading/trailing CR, VT, FF are whitespace and trimmed away', '\r\x0B\x0Cabc\r\n', 'abc'],
    ['U+2028 at the ends is trimmed', '\u2028abc\u2029', 'abc'],
    ['a well-formed surrogate pair', 'a😀b', 'a😀b'],
    ['right-to-left and left-to-right marks', 'a\u200Fb\u200E', 'a\u200Fb\u200E'],
  ])('%s', (_name, value, expected) => {
    expect(requireText(value, RULE)).toBe(expected);
  });

  test.each([
    ...BLANK_TEXTS.map(([name, text]) => [`blank (${name})`, text, 'TEXT.TOO_SHORT'] as const),
    ['one over max', 'abcdef', 'TEXT.TOO_LONG'] as const,
    ['one astral over max', astral(6), 'TEXT.TOO_LONG'] as const,
    ...FORBIDDEN_CONTROL_CHARACTERS.map(([name, char]) => [name, `a${char}b`, 'TEXT.CONTROL_CHARACTER'] as const),
  ])('refuses %s with %s', (_name, value, code) => {
    const error = thrownBy(() => requireText(value, RULE));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code, field: 'f' });
  });

  test.each([
    ...LONE_SURROGATE_TEXTS.map(([name, text]) => [name, text, 'TEXT.ILL_FORMED_UNICODE'] as const),
    ...BIDI_CONTROL_TEXTS.map(([name, text]) => [name, text, 'TEXT.BIDI_CONTROL'] as const),
  ])('refuses %s with %s', (_name, value, code) => {
    expect(thrownBy(() => requireText(value, { field: 'f', min: 1, max: 100 }))).toMatchObject({ kind: 'BAD_USER_INPUT', code, field: 'f' });
  });

  test('a control character wins over a length problem', () => {
    expect(thrownBy(() => requireText('\x00'.repeat(10), RULE))).toMatchObject({ code: 'TEXT.CONTROL_CHARACTER' });
  });

  test('min above 1 is honoured', () => {
    expect(thrownBy(() => requireText('ab', { field: 'f', min: 3, max: 5 }))).toMatchObject({ code: 'TEXT.TOO_SHORT' });
    expect(requireText('abc', { field: 'f', min: 3, max: 5 })).toBe('abc');
  });
});

describe('optionalText', () => {
  test.each([
    ['undefined', undefined, null],
    ['null', null, null],
    ['empty', '', null],
    ['blank', ' \n ', null],
    ['text', ' x ', 'x'],
  ])('%s -> %p', (_name, value, expected) => {
    expect(optionalText(value, { field: 'f', max: 5 })).toBe(expected);
  });

  test.each([
    ['too long', 'abcdef', 'TEXT.TOO_LONG'],
    ['control character', 'a\x00', 'TEXT.CONTROL_CHARACTER'],
    ['only a control character', '\x07', 'TEXT.CONTROL_CHARACTER'],
  ])('refuses %s', (_name, value, code) => {
    expect(thrownBy(() => optionalText(value, { field: 'f', max: 5 }))).toMatchObject({ code, field: 'f' });
  });
});

describe('entity ids', () => {
  test('newEntityId is 24 lowercase hex, starts with the creation second, and is unique', () => {
    const at = new Date('2030-01-01T00:00:00.999Z');
    const ids = Array.from({ length: 200 }, () => newEntityId(at));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(id.slice(0, 8)).toBe(Math.floor(at.getTime() / 1000).toString(16).padStart(8, '0'));
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('ids sort by creation second', () => {
    const earlier = newEntityId(new Date('2030-01-01T00:00:00Z'));
    const later = newEntityId(new Date('2030-01-01T00:00:01Z'));
    expect(earlier < later).toBe(true);
  });

  test.each([
    ['0123456789abcdef01234567', true],
    ['0123456789ABCDEF01234567', false],
    ['0123456789abcdef0123456', false],
    ['0123456789abcdef012345678', false],
    ['0123456789abcdef0123456g', false],
    ['', false],
    [' 0123456789abcdef01234567', false],
  ])('isEntityId(%p) is %p', (value, expected) => {
    expect(isEntityId(value)).toBe(expected);
  });
});

describe('block helpers', () => {
  const at = new Date('2030-01-01T00:00:00.000Z');

  test.each([
    ['DAYS_7', 7],
    ['DAYS_30', 30],
    ['DAYS_90', 90],
  ] as const)('expiryOf(%s) is blockedAt + %i days', (duration, days) => {
    expect(expiryOf(duration, at)).toEqual(new Date(at.getTime() + days * DAY_MS));
  });

  test('expiryOf(INDEFINITE) is null', () => {
    expect(expiryOf('INDEFINITE', at)).toBeNull();
  });

  test('expiryOf covers every duration', () => {
    for (const duration of BLOCK_DURATIONS) {
      const expiry = expiryOf(duration as BlockDuration, at);
      expect(expiry === null ? duration === 'INDEFINITE' : expiry.getTime() > at.getTime()).toBe(true);
    }
  });

  const block = (expiresAt: Date | null): Block => ({
    reason: 'OTHER',
    duration: expiresAt ? 'DAYS_7' : 'INDEFINITE',
    userMessage: 'm',
    adminNote: null,
    blockedAt: at,
    blockedBy: null,
    expiresAt,
  });

  test.each([
    ['no block', null, at, false],
    ['indefinite block', block(null), new Date('2999-01-01T00:00:00Z'), true],
    ['1 ms before expiry', block(new Date(at.getTime() + 10)), new Date(at.getTime() + 9), true],
    ['exactly at expiry', block(new Date(at.getTime() + 10)), new Date(at.getTime() + 10), false],
    ['after expiry', block(new Date(at.getTime() + 10)), new Date(at.getTime() + 11), false],
  ])('isInForce: %s -> %p', (_name, value, now, expected) => {
    expect(isInForce(value, now)).toBe(expected);
  });
});

describe('domain errors', () => {
  test.each([
    ['notAdmin', userErrors.notAdmin(), PermissionError, 'FORBIDDEN', 'USER.ADMIN_ONLY'],
    ['staffOnly', roleErrors.staffOnly(), PermissionError, 'FORBIDDEN', 'USER.STAFF_ONLY'],
    ['self', roleErrors.self(), PermissionError, 'FORBIDDEN', 'USER.SELF_ACTION'],
    ['adminTarget', roleErrors.adminTarget(), PermissionError, 'FORBIDDEN', 'USER.ADMIN_TARGET'],
    ['outranked', roleErrors.outranked(), PermissionError, 'FORBIDDEN', 'USER.TARGET_RANK'],
    ['restriction notFound', restrictionErrors.notFound(), NotFoundError, 'NOT_FOUND', 'RESTRICTION.NOT_FOUND'],
    ['notBlocked', userErrors.notBlocked(), ValidationError, 'BAD_USER_INPUT', 'USER.NOT_BLOCKED'],
    ['user notFound', userErrors.notFound(), NotFoundError, 'NOT_FOUND', 'USER.NOT_FOUND'],
    ['listing notFound', listingErrors.notFound(), NotFoundError, 'NOT_FOUND', 'LISTING.NOT_FOUND'],
    ['message toSelf', messagingErrors.toSelf(), ValidationError, 'BAD_USER_INPUT', 'MESSAGE.TO_SELF'],
    ['unknown recipient', messagingErrors.unknownRecipient(), NotFoundError, 'NOT_FOUND', 'MESSAGE.UNKNOWN_RECIPIENT'],
    ['conversation', messagingErrors.conversationNotFound(), NotFoundError, 'NOT_FOUND', 'CONVERSATION.NOT_FOUND'],
    ['concurrency', new ConcurrencyError('PersonalUser', 'x'), ConcurrencyError, 'CONFLICT', 'SHARED.CONCURRENT_UPDATE'],
    [
      'account blocked',
      new AccountBlockedError('SEND_MESSAGE', 'OTHER', 'msg', null),
      AccountBlockedError,
      'ACCOUNT_BLOCKED',
      'USER.ACCOUNT_BLOCKED',
    ],
    [
      'action restricted',
      new ActionRestrictedError('SEND_MESSAGE', 'r1', 'OTHER', 'msg', null, null),
      ActionRestrictedError,
      'ACTION_RESTRICTED',
      'USER.ACTION_RESTRICTED',
    ],
  ] as const)('%s: class, kind, code, name; a DomainError and an Error', (_label, error, type, kind, code) => {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.name).toBe(type.name);
    expect(error.message.length).toBeGreaterThan(0);
  });

  test('a code is dotted SCREAMING_CASE', () => {
    const codes = [
      userErrors.notAdmin(),
      userErrors.notBlocked(),
      roleErrors.outranked(),
      restrictionErrors.unscopedActions(),
      listingErrors.notFound(),
      messagingErrors.toSelf(),
      new ConcurrencyError('A', 'b'),
    ].map((error) => error.code);
    for (const code of codes) expect(code).toMatch(/^[A-Z]+(?:\.[A-Z_]+)+$/);
  });

  test('the system actor is an admin with no user id', () => {
    expect(SYSTEM_ACTOR).toEqual({ userId: null, isAdmin: true, role: 'ADMIN' });
  });

  test('statusOf returns the status every user event carries', () => {
    const status = {
      userId: 'u',
      state: 'ACTIVE' as const,
      reason: null,
      userMessage: null,
      blockedAt: null,
      expiresAt: null,
      changedAt: new Date(0),
      restrictions: [],
      capabilities: [],
    };
    const event: UserEvent = {
      id: 'e',
      type: 'user.block-expired',
      aggregateId: 'u',
      occurredAt: new Date(0),
      actorId: null,
      correlationId: 'c',
      payload: { status, lapsed: { reason: 'OTHER', duration: 'DAYS_7', expiresAt: new Date(0) } },
    };
    expect(statusOf(event)).toBe(status);
  });
});
