import { randomBytes } from 'node:crypto';

const ENTITY_ID = /^[0-9a-f]{24}$/;

/**
 * 24 lowercase hex characters: 4 bytes of seconds then 8 random bytes, so ids sort
 * roughly by creation time, like MongoDB's ObjectId, without depending on a driver.
 */
export function newEntityId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomBytes(8).toString('hex');
}

export function isEntityId(value: string): boolean {
  return ENTITY_ID.test(value);
}
