import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection } from './resolver-helpers';

/** The JSON scalar is added beside DateTime in index.ts (scalars are not merged). */
export const moderationResolvers: Resolvers = {
  Query: {
    moderationLog: async (_parent, { filter, first, after }, ctx) => {
      const page = parsePage(first, after);
      const log = await ctx.services.listModerationLog(
        ctx.viewer,
        {
          userId: filter?.userId ? parseId(filter.userId, 'userId') : null,
          types: filter?.types ?? null,
          since: filter?.since ?? null,
          until: filter?.until ?? null,
        },
        page,
      );
      return connection(log);
    },
  },
  Subscription: {
    moderationEvents: {
      subscribe: (_parent, args, ctx) => ctx.live.moderationEvents(ctx.session, ctx.viewer, args.types ?? null),
      resolve: (entry: AuditEntry) => entry,
    },
  },
  ModerationLogEntry: {
    // A member's account is never deleted; a dangling id still shows as actorId/targetId.
    actor: (entry, _args, ctx) => (entry.actorId ? ctx.loaders.user(entry.actorId) : null),
    target: (entry, _args, ctx) => (entry.targetId ? ctx.loaders.user(entry.targetId) : null),
  },
};
