import type { Resolvers } from '../generated/graphql';
import { appealResolvers } from './appeal.resolvers';
import { DateTimeScalar } from './date-time.scalar';
import { JsonScalar } from './json.scalar';
import { listingResolvers } from './listing.resolvers';
import { messagingResolvers } from './messaging.resolvers';
import { moderationResolvers } from './moderation.resolvers';
import { presenceResolvers } from './presence.resolvers';
import { reservationResolvers } from './reservation.resolvers';
import { restrictionResolvers } from './restriction.resolvers';
import { subscriptionResolvers } from './subscription.resolvers';
import { userResolvers } from './user.resolvers';
import { webhookResolvers } from './webhook.resolvers';
import { webResolvers } from './web.resolvers';

const parts: Resolvers[] = [
  userResolvers,
  listingResolvers,
  reservationResolvers,
  messagingResolvers,
  subscriptionResolvers,
  appealResolvers,
  presenceResolvers,
  moderationResolvers,
  webhookResolvers,
  restrictionResolvers,
  webResolvers,
];

/** All resolvers, merged per type. */
export function buildResolvers(extra: Resolvers[] = []): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of [...parts, ...extra]) {
    for (const [type, fields] of Object.entries(part)) {
      merged[type] = { ...merged[type], ...(fields as Record<string, unknown>) };
    }
  }
  return { ...(merged as Resolvers), DateTime: DateTimeScalar, JSON: JsonScalar };
}
