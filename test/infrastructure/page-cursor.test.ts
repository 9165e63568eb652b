import { ValidationError } from '../../domain/shared/domain-error';
import { newEntityId } from '../../domain/shared/entity-id';
import { decodeCursor, encodeCursor } from '../../infrastructure/mongo/repositories/page-cursor';

describe('page cursor', () => {
  it('round-trips a position', () => {
    const position = { at: new Date('2025-03-04T05:06:07.089Z'), id: newEntityId() };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString()).toBe(`${position.at.getTime()}:${position.id}`);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['not base64url', '!!!'],
    ['no separator', Buffer.from('1234').toString('base64url')],
    ['bad id', Buffer.from('1234:xyz').toString('base64url')],
    ['negative time', Buffer.from(`-5:${'a'.repeat(24)}`).toString('base64url')],
    ['leading zero', Buffer.from(`01:${'a'.repeat(24)}`).toString('base64url')],
    ['padded', `${Buffer.from(`1:${'a'.repeat(24)}`).toString('base64')}==`],
    ['NUL inside', Buffer.from(`1:${'a'.repeat(23)}\u0000`).toString('base64url')],
  ])('rejects a malformed cursor (%s) with PAGE.BAD_CURSOR on "after"', (_label, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ code: 'PAGE.BAD_CURSOR', field: 'after' });
  });
});
