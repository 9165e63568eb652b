import type { Resolvers } from '../generated/graphql';
import { parseId } from '../parse/parse-input';

/** Force-disconnect and presence: schema/presence.graphql. */
export const presenceResolvers: Resolvers = {
  Mutation: {
    forceDisconnect: (_parent, args, ctx) =>
      ctx.services.forceDisconnect({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        userId: parseId(args.userId, 'userId'),
        reason: args.reason,
      }),
  },
  PersonalUser: {
    activeSessionCount: (user, _args, ctx) => ctx.services.activeSessionCount(ctx.viewer, user.id),
  },
};
