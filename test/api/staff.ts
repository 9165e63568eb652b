import { SignJWT } from 'jose';
import type { Clock } from '../../domain/shared/clock';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-http';
import { TEST_JWT_SECRET } from '../support/tokens';

/**
 * A test token whose `roles` claim is exactly `roles` (test/support/tokens knows only
 * admin), issued at `clock`'s time for a Warden whose clock was moved.
 */
export async function tokenWithRoles(sub: string, roles: string[], clock?: Clock): Promise<string> {
  const now = Math.floor((clock?.now().getTime() ?? Date.now()) / 1000);
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** Runs operations at `url` as the moderator `sub`. */
export function asModerator(url: string, sub: string, clock?: Clock) {
  return async (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
    postGraphQL(url, query, variables, await tokenWithRoles(sub, ['moderator'], clock));
}

export const RESTRICTION_FIELDS = `id actions categories reason duration userMessage createdAt expiresAt adminNote createdBy { id }`;
export const CAPABILITY_FIELDS = `action allowed categories reason userMessage until`;
export const STATUS_FIELDS = `userId state reason expiresAt changedAt restrictions { ${RESTRICTION_FIELDS} } capabilities { ${CAPABILITY_FIELDS} }`;

export const RESTRICT_USER = `mutation Restrict($input: RestrictUserInput!) {
  restrictUser(input: $input) { id isBlocked accountStatus { ${STATUS_FIELDS} } }
}`;

export const LIFT_RESTRICTION = `mutation Lift($input: LiftRestrictionInput!) {
  liftRestriction(input: $input) { id accountStatus { ${STATUS_FIELDS} } }
}`;

export function restrictInput(userId: string, overrides: Record<string, unknown> = {}) {
  return {
    userId,
    actions: ['SEND_MESSAGE'],
    reason: 'INAPPROPRIATE_BEHAVIOR',
    duration: 'DAYS_30',
    userMessage: 'Your messages are paused for 30 days after a harassment report.',
    adminNote: 'Report #4411',
    ...overrides,
  };
}
