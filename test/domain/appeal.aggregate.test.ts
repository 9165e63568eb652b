import { Appeal, blockKeyOf } from '../../domain/appeals/appeal.aggregate';
import { ADMIN, DAY_MS, MEMBER_ACTOR, blockCommand, memberAggregate } from './fakes/builders';
import { FakeClock } from './fakes/fake-clock';

const clock = new FakeClock(new Date('2030-01-01T00:00:00.000Z'));

function blockedMember() {
  const member = memberAggregate(clock);
  member.block(blockCommand({ duration: 'DAYS_30', reason: 'ITEM_DAMAGE' }));
  return member;
}

describe('filing', () => {
  test('a blocked member appeals the block in force', () => {
    const member = blockedMember();
    const appeal = Appeal.file(member, '  not my fault  ', clock);
    expect(appeal.state).toBe('OPEN');
    expect(appeal.message).toBe('not my fault');
    expect(appeal.blockReason).toBe('ITEM_DAMAGE');
    expect(appeal.blockKey).toBe(blockKeyOf(member.id, member.currentBlock!.blockedAt));
  });

  test.each([
    ['never blocked', () => memberAggregate(clock)],
    ['block expired', () => {
      const member = blockedMember();
      clock.advance(31 * DAY_MS);
      return member;
    }],
  ])('a member who is %s cannot appeal', (_name, make) => {
    expect(() => Appeal.file(make(), 'please', clock)).toThrow(expect.objectContaining({ code: 'APPEAL.NOT_BLOCKED' }));
  });

  test.each([[''], ['   '], ['x'.repeat(2001)], ['a\u0000b']])('message %j is refused', (message) => {
    expect(() => Appeal.file(blockedMember(), message, clock)).toThrow(expect.objectContaining({ kind: 'BAD_USER_INPUT' }));
  });

  test('two blocks of one member have different keys', () => {
    const member = blockedMember();
    const first = blockKeyOf(member.id, member.currentBlock!.blockedAt);
    clock.advance(1_000);
    member.block(blockCommand());
    expect(blockKeyOf(member.id, member.currentBlock!.blockedAt)).not.toBe(first);
  });
});

describe('deciding', () => {
  test.each([
    [true, 'APPROVED'],
    [false, 'REJECTED'],
  ])('approve=%s makes it %s with who, when and the note', (approve, state) => {
    const appeal = Appeal.file(blockedMember(), 'hear me out', clock);
    appeal.decide({ actor: ADMIN, approve, note: ' reviewed ' }, clock);
    expect(appeal.state).toBe(state);
    expect(appeal.decidedBy).toBe(ADMIN.userId);
    expect(appeal.decidedAt).toEqual(clock.now());
    expect(appeal.decisionNote).toBe('reviewed');
  });

  test('only admins decide, once, with a note', () => {
    const appeal = Appeal.file(blockedMember(), 'hear me out', clock);
    expect(() => appeal.decide({ actor: MEMBER_ACTOR, approve: true, note: 'ok' }, clock)).toThrow(
      expect.objectContaining({ kind: 'FORBIDDEN' }),
    );
    expect(() => appeal.decide({ actor: ADMIN, approve: true, note: ' ' }, clock)).toThrow(
      expect.objectContaining({ kind: 'BAD_USER_INPUT' }),
    );
    expect(appeal.state).toBe('OPEN');
    appeal.decide({ actor: ADMIN, approve: false, note: 'no' }, clock);
    expect(() => appeal.decide({ actor: ADMIN, approve: true, note: 'yes' }, clock)).toThrow(
      expect.objectContaining({ code: 'APPEAL.ALREADY_DECIDED' }),
    );
    expect(appeal.state).toBe('REJECTED');
  });
});
