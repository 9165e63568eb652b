import { ValidationError } from '../../../domain/shared/domain-error';

/** Where a page ended: the sort key of its last item and, for ties, its id. */
export interface CursorPosition {
  at: Date;
  id: string;
}

// At most 15 digits keeps every value a valid Date.
const CURSOR = /^(\d{1,15}):([0-9a-f]{24})$/;

/** base64url of `<epoch ms>:<id>`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeCursor; anything else is PAGE.BAD_CURSOR. */
export function decodeCursor(cursor: string): CursorPosition {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const position = match ? { at: new Date(Number(match[1])), id: match[2] ?? '' } : null;
  // Re-encoding rejects the many strings Node's lenient base64 decoder would accept.
  if (!position || encodeCursor(position) !== cursor) {
    throw new ValidationError('PAGE.BAD_CURSOR', 'The cursor is not one this list returned', 'after');
  }
  return position;
}
