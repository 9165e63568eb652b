import type { Resolvers } from '../generated/graphql';
import { parseId } from '../parse/parse-input';

export const restrictionResolvers: Resolvers = {
  Mutation: {
    restrictUser: (_parent, { input }, ctx) =>
      ctx.services.restrictUser({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        userId: parseId(input.userId, 'userId'),
        actions: input.actions,
        categories: input.categories ?? null,
        reason: input.reason,
        duration: input.duration,
        userMessage: input.userMessage,
        adminNote: input.adminNote ?? null,
      }),
    liftRestriction: (_parent, { input }, ctx) =>
      ctx.services.liftRestriction({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        restrictionId: parseId(input.restrictionId, 'restrictionId'),
        reason: input.reason,
      }),
  },
  Restriction: {
    adminNote: async (notice, _args, ctx) =>
      ctx.services.restrictionRecordFor(ctx.viewer, await ctx.loaders.user(notice.userId), notice.id)?.adminNote ?? null,
    createdBy: async (notice, _args, ctx) => {
      const record = ctx.services.restrictionRecordFor(ctx.viewer, await ctx.loaders.user(notice.userId), notice.id);
      return record?.createdBy ? ctx.loaders.user(record.createdBy) : null;
    },
  },
};
