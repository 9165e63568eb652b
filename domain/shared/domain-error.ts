/**
 * What kind of refusal an error is. The API maps each kind, once, to the contract's
 * `extensions.code`; the domain never knows about GraphQL.
 */
export type ErrorKind = 'FORBIDDEN' | 'ACCOUNT_BLOCKED' | 'ACTION_RESTRICTED' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/** Base of every error the domain raises on purpose. `code` is stable and dotted. */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  protected constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input breaks a rule; nothing was changed. */
export class ValidationError extends DomainError {
  readonly kind = 'BAD_USER_INPUT';
  constructor(
    code: string,
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
  }
}

/** The caller may not do this, whoever the target is. */
export class PermissionError extends DomainError {
  readonly kind = 'FORBIDDEN';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'NOT_FOUND';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** Another writer changed the aggregate since it was read; use cases retry on it. */
export class ConcurrencyError extends DomainError {
  readonly kind = 'CONFLICT';
  constructor(aggregate: string, id: string) {
    super('SHARED.CONCURRENT_UPDATE', `${aggregate} ${id} was changed concurrently`);
  }
}
