import { Message, conversationIdBetween, type MessageProps } from '../../domain/messaging/message.aggregate';
import { NotFoundError, ValidationError } from '../../domain/shared/domain-error';
import { TEXT_LIMITS } from '../../domain/shared/text-limits';
import type { BlockDuration } from '../../domain/user/block';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { AccountBlockedError } from '../../domain/user/user.errors';
import { ADMIN, DAY_MS, HEX_24, IDS, blockCommand, memberAggregate, thrownBy, userProps } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';
import { BLANK_TEXTS, astral, controlCharacterTexts } from './text-cases';

let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock('2030-01-01T00:00:00.000Z');
});

const sender = (): PersonalUser => memberAggregate(clock);
const recipientUser = (): PersonalUser => memberAggregate(clock, userProps({ id: IDS.other, externalId: 'auth0|other' }));
const toOther = () => ({ id: IDS.other, found: recipientUser() });

function blockedSender(duration: BlockDuration): PersonalUser {
  const user = memberAggregate(clock);
  user.block(blockCommand({ duration, reason: 'INAPPROPRIATE_BEHAVIOR', userMessage: 'Harassment.' }));
  return user;
}

describe('Message.send: the block guard', () => {
  test.each<BlockDuration>(['DAYS_7', 'DAYS_30', 'DAYS_90', 'INDEFINITE'])(
    'a sender blocked %s is refused with AccountBlockedError(SEND_MESSAGE)',
    (duration) => {
      const blocked = blockedSender(duration);
      const error = thrownBy(() => Message.send(blocked, toOther(), 'hello', clock));
      expect(error).toBeInstanceOf(AccountBlockedError);
      expect(error).toMatchObject({
        kind: 'ACCOUNT_BLOCKED',
        code: 'USER.ACCOUNT_BLOCKED',
        action: 'SEND_MESSAGE',
        reason: 'INAPPROPRIATE_BEHAVIOR',
        userMessage: 'Harassment.',
        expiresAt: blocked.currentBlock?.expiresAt ?? null,
      });
    },
  );

  test.each([
    ['to themself', () => ({ id: IDS.member, found: null }), 'hi'],
    ['to an unknown member', () => ({ id: IDS.unknown, found: null }), 'hi'],
    ['an empty text', toOther, '  '],
  ])('the guard comes first: a blocked sender writing %s gets ACCOUNT_BLOCKED', (_name, recipient, text) => {
    const error = thrownBy(() => Message.send(blockedSender('DAYS_7'), recipient(), text, clock));
    expect(error).toBeInstanceOf(AccountBlockedError);
  });

  test.each<readonly [string, () => PersonalUser]>([
    ['active', sender],
    [
      'whose block expired',
      () => {
        const user = blockedSender('DAYS_7');
        clock.advance(7 * DAY_MS);
        return user;
      },
    ],
    [
      'unblocked',
      () => {
        const user = blockedSender('INDEFINITE');
        user.unblock({ actor: ADMIN, reason: 'ok', correlationId: 'c' });
        return user;
      },
    ],
  ])('a sender who is %s may send', (_name, build) => {
    expect(Message.send(build(), toOther(), 'hello', clock).text).toBe('hello');
  });

  test('a blocked recipient still receives (a block stops acting, not being written to)', () => {
    const recipient = memberAggregate(clock, userProps({ id: IDS.other }));
    recipient.block(blockCommand());
    expect(Message.send(sender(), { id: IDS.other, found: recipient }, 'hi', clock).recipientId).toBe(IDS.other);
  });
});

describe('Message.send: rules', () => {
  test('the message: fresh id, derived conversation, sender, recipient, trimmed text, sentAt from the clock', () => {
    clock.set('2030-02-03T04:05:06.789Z');
    const message = Message.send(sender(), toOther(), '  Is the drill still free?\n', clock);
    expect(message.id).toMatch(HEX_24);
    expect({
      conversationId: message.conversationId,
      senderId: message.senderId,
      recipientId: message.recipientId,
      text: message.text,
      sentAt: message.sentAt,
    }).toEqual({
      conversationId: conversationIdBetween(IDS.member, IDS.other),
      senderId: IDS.member,
      recipientId: IDS.other,
      text: 'Is the drill still free?',
      sentAt: new Date('2030-02-03T04:05:06.789Z'),
    });
  });

  test.each([
    ['found as themself', { id: IDS.member, found: null as PersonalUser | null }],
    ['with the sender aggregate as found', { id: IDS.member, found: 'sender' as const }],
  ])('to oneself (%s) is refused with ValidationError MESSAGE.TO_SELF (BAD_USER_INPUT)', (_name, recipient) => {
    const from = sender();
    const found = recipient.found === 'sender' ? from : recipient.found;
    const error = thrownBy(() => Message.send(from, { id: recipient.id, found }, 'hi', clock));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code: 'MESSAGE.TO_SELF', field: 'recipientId' });
  });

  test('to an unknown member is refused with NotFoundError MESSAGE.UNKNOWN_RECIPIENT (NOT_FOUND)', () => {
    const error = thrownBy(() => Message.send(sender(), { id: IDS.unknown, found: null }, 'hi', clock));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'MESSAGE.UNKNOWN_RECIPIENT' });
  });

  const max = TEXT_LIMITS.messageText;

  test('the text limit is 2000', () => {
    expect(max).toBe(2000);
  });

  test.each([
    ['one character', 'k', 'k'],
    ['exactly 2000 characters', 't'.repeat(max), 't'.repeat(max)],
    ['2000 characters once trimmed', `\n\n${'t'.repeat(max)}  `, 't'.repeat(max)],
    ['2000 astral characters', astral(max), astral(max)],
    ['newline and tab inside', 'Hi,\n\tsee you', 'Hi,\n\tsee you'],
  ])('text accepted: %s', (_name, text, stored) => {
    expect(Message.send(sender(), toOther(), text, clock).text).toBe(stored);
  });

  test.each([
    ...BLANK_TEXTS.map(([name, text]) => [`blank (${name})`, text, 'TEXT.TOO_SHORT'] as const),
    ['2001 characters', 't'.repeat(max + 1), 'TEXT.TOO_LONG'] as const,
    ['2001 astral characters', astral(max + 1), 'TEXT.TOO_LONG'] as const,
    ...controlCharacterTexts().map(([name, text]) => [name, text, 'TEXT.CONTROL_CHARACTER'] as const),
  ])('text refused: %s, with %s', (_name, text, code) => {
    const error = thrownBy(() => Message.send(sender(), toOther(), text, clock));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', code, field: 'text' });
  });
});

describe('conversationIdBetween', () => {
  const PAIRS: ReadonlyArray<readonly [string, string]> = [
    [IDS.member, IDS.other],
    [IDS.member, IDS.third],
    [IDS.other, IDS.third],
    [IDS.admin, IDS.member],
    [IDS.admin, IDS.admin2],
    ['000000000000000000000000', 'ffffffffffffffffffffffff'],
  ];

  test.each(PAIRS)('(%s, %s) is symmetric, 24 lowercase hex, deterministic', (a, b) => {
    const id = conversationIdBetween(a, b);
    expect(id).toMatch(HEX_24);
    expect(conversationIdBetween(b, a)).toBe(id);
    expect(conversationIdBetween(a, b)).toBe(id);
  });

  test('differs per pair', () => {
    const ids = PAIRS.map(([a, b]) => conversationIdBetween(a, b));
    expect(new Set(ids).size).toBe(PAIRS.length);
  });

  test('a message from either side lands in the same conversation', () => {
    const there = Message.send(sender(), toOther(), 'hi', clock);
    const back = Message.send(recipientUser(), { id: IDS.member, found: sender() }, 'hello', clock);
    expect(back.conversationId).toBe(there.conversationId);
    expect(Message.send(sender(), { id: IDS.third, found: recipientUser() }, 'x', clock).conversationId).not.toBe(
      there.conversationId,
    );
  });
});

describe('Message.sentEvent', () => {
  test('has the message.sent shape: id, conversation as aggregate, sender as actor, sentAt, correlationId, props', () => {
    const message = Message.send(sender(), toOther(), 'hello', clock);
    expect(message.sentEvent('corr-msg')).toEqual({
      id: message.id,
      type: 'message.sent',
      aggregateId: message.conversationId,
      occurredAt: message.sentAt,
      actorId: IDS.member,
      correlationId: 'corr-msg',
      payload: {
        id: message.id,
        conversationId: message.conversationId,
        senderId: IDS.member,
        recipientId: IDS.other,
        text: 'hello',
        sentAt: clock.now(),
      },
    });
  });

  test('the payload is a copy: changing it does not change the message', () => {
    const message = Message.send(sender(), toOther(), 'hello', clock);
    const event = message.sentEvent('c');
    event.payload.text = 'tampered';
    expect(message.text).toBe('hello');
    expect(message.sentEvent('c').payload.text).toBe('hello');
  });
});

describe('Message.rehydrate', () => {
  test('exposes the stored props, copied', () => {
    const props: MessageProps = {
      id: 'cc00000000000000000000ee',
      conversationId: conversationIdBetween(IDS.member, IDS.other),
      senderId: IDS.other,
      recipientId: IDS.member,
      text: 'stored',
      sentAt: new Date('2029-12-31T00:00:00.000Z'),
    };
    const message = Message.rehydrate(props);
    props.text = 'changed';
    expect([message.id, message.conversationId, message.senderId, message.recipientId, message.text, message.sentAt]).toEqual([
      'cc00000000000000000000ee',
      conversationIdBetween(IDS.member, IDS.other),
      IDS.other,
      IDS.member,
      'stored',
      new Date('2029-12-31T00:00:00.000Z'),
    ]);
  });
});
