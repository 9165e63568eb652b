import type { Resolvers } from '../generated/graphql';
import { parseId } from '../parse/parse-input';

export const userResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => ctx.me,
    user: (_parent, args, ctx) => ctx.services.getUser(ctx.viewer, parseId(args.id, 'id')),
  },
  Mutation: {
    blockUser: (_parent, { input }, ctx) =>
      ctx.services.blockUser({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        userId: parseId(input.userId, 'userId'),
        reason: input.reason,
        duration: input.duration,
        userMessage: input.userMessage,
        adminNote: input.adminNote ?? null,
      }),
    unblockUser: (_parent, { input }, ctx) =>
      ctx.services.unblockUser({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        userId: parseId(input.userId, 'userId'),
        reason: input.reason,
      }),
  },
  // Standing, role, email and external id: the member themself and staff only (null for others).
  PersonalUser: {
    id: (user) => user.id,
    externalId: (user, _args, ctx) => ctx.services.privateDetail(ctx.viewer, user, () => user.externalId),
    displayName: (user) => user.displayName,
    role: (user, _args, ctx) => ctx.services.privateDetail(ctx.viewer, user, () => user.role),
    email: (user, _args, ctx) => ctx.services.privateDetail(ctx.viewer, user, () => user.email),
    isBlocked: (user, _args, ctx) => ctx.services.privateDetail(ctx.viewer, user, () => user.isBlocked()),
    accountStatus: (user, _args, ctx) => ctx.services.privateDetail(ctx.viewer, user, () => user.accountStatus()),
    block: (user, _args, ctx) => ctx.services.blockDetailsFor(ctx.viewer, user),
    blockHistory: (user, _args, ctx) => ctx.services.blockHistoryFor(ctx.viewer, user),
  },
  Block: {
    blockedBy: (block, _args, ctx) => (block.blockedBy ? ctx.loaders.user(block.blockedBy) : null),
  },
  BlockRecord: {
    by: (record, _args, ctx) => (record.by ? ctx.loaders.user(record.by) : null),
  },
};
