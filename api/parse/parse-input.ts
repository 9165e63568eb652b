import { ValidationError } from '../../domain/shared/domain-error';
import { isEntityId } from '../../domain/shared/entity-id';
import type { PageRequest } from '../../domain/shared/page';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../infrastructure/config/limits';

/** An id argument, checked before any lookup so a bad id is BAD_USER_INPUT, not NOT_FOUND. */
export function parseId(value: string, field: string): string {
  const id = value.trim().toLowerCase();
  if (!isEntityId(id)) throw new ValidationError('INPUT.BAD_ID', `${field} is not a valid id`, field);
  return id;
}

export function parsePage(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ValidationError('INPUT.BAD_PAGE_SIZE', `first must be from 1 to ${MAX_PAGE_SIZE}`, 'first');
  }
  return { first: size, after: after ?? null };
}
