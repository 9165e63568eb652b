import { randomUUID } from 'node:crypto';

/**
 * A random UUID as one flat string. randomUUID() builds its text by concatenation, which
 * V8 keeps as a tree of some thirty pieces (about 1 KB) until something flattens it; an id
 * kept for a socket's life is flattened once here (36 bytes).
 */
export function flatUuid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
