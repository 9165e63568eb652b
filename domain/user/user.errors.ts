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

export const userErrors = {
  notAdmin: () => new PermissionError('USER.ADMIN_ONLY', 'Only administrators may do this'),
  selfBlock: () => new PermissionError('USER.SELF_BLOCK', 'Administrators cannot block themselves'),
  adminTarget: () => new PermissionError('USER.ADMIN_TARGET', 'An administrator cannot be blocked'),
  notBlocked: () => new ValidationError('USER.NOT_BLOCKED', 'This member is not blocked', 'userId'),
  notFound: () => new NotFoundError('USER.NOT_FOUND', 'No such member'),
};
