import { CombinedGraphQLErrors } from '@apollo/client';

/** What to tell a person about a failed operation: the server's message, which is safe to show. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join('; ');
  return error instanceof Error ? error.message : 'Something went wrong';
}

/** The contract code of a failed operation (FORBIDDEN, ACCOUNT_BLOCKED…), if any. */
export function errorCode(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : null;
}
