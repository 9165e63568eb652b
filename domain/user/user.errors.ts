import { DomainError, NotFoundError, PermissionError, ValidationError } from '../shared/domain-error';
import type { BlockReason } from './block';
import type { UserAction } from './user-action';

/** A blocked member tried to act. Carries what the member needs to be told. */
export class AccountBlockedError extends DomainError {
  readonly kind = 'ACCOUNT_BLOCKED';
  constructor(
    readonly action: UserAction,
    readonly reason: BlockReason,
    readonly userMessage: string,
    readonly expiresAt: Date | null,
  ) {
    super('USER.ACCOUNT_BLOCKED', `Your account is blocked: ${userMessage}`);
  }
}

/** A restriction in force refused a member's action. Carries what the member needs to be told. */
export class ActionRestrictedError extends DomainError {
  readonly kind = 'ACTION_RESTRICTED';
  constructor(
    readonly action: UserAction,
    readonly restrictionId: string,
    readonly reason: BlockReason,
    readonly userMessage: string,
    readonly expiresAt: Date | null,
    /** The listing category, when the restriction's categories decided it. */
    readonly category: string | null,
  ) {
    super('USER.ACTION_RESTRICTED', `This action is restricted on your account: ${userMessage}`);
  }
}

/** A member's action refused by their standing: a block or a restriction. */
export type StandingRefusal = AccountBlockedError | ActionRestrictedError;

export function isStandingRefusal(error: unknown): error is StandingRefusal {
  return error instanceof AccountBlockedError || error instanceof ActionRestrictedError;
}

export const userErrors = {
  notAdmin: () => new PermissionError('USER.ADMIN_ONLY', 'Only administrators may do this'),
  notBlocked: () => new ValidationError('USER.NOT_BLOCKED', 'This member is not blocked', 'userId'),
  notFound: () => new NotFoundError('USER.NOT_FOUND', 'No such member'),
};

export const restrictionErrors = {
  noAction: () => new ValidationError('RESTRICTION.NO_ACTION', 'Restrict at least one action', 'actions'),
  unknownAction: () => new ValidationError('USER.UNKNOWN_ACTION', 'Unknown action', 'actions'),
  duplicateAction: () => new ValidationError('RESTRICTION.DUPLICATE_ACTION', 'Each action may be listed once', 'actions'),
  noCategory: () =>
    new ValidationError('RESTRICTION.NO_CATEGORY', 'Give at least one category, or none for every category', 'categories'),
  duplicateCategory: () =>
    new ValidationError('RESTRICTION.DUPLICATE_CATEGORY', 'Each category may be listed once', 'categories'),
  unscopedActions: () =>
    new ValidationError(
      'RESTRICTION.CATEGORIES_UNUSED',
      'Categories narrow listing actions only; SEND_MESSAGE is never category-scoped',
      'categories',
    ),
  notFound: () => new NotFoundError('RESTRICTION.NOT_FOUND', 'No such restriction'),
  notInForce: () => new ValidationError('RESTRICTION.NOT_IN_FORCE', 'This restriction is no longer in force', 'restrictionId'),
};
