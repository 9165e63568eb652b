import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection, requireFound } from './resolver-helpers';
import { isStaff } from '../../domain/user/role';

export const appealResolvers: Resolvers = {
  Query: {
    openAppeals: async (_parent, args, ctx) =>
      connection(await ctx.services.listOpenAppeals(ctx.viewer, parsePage(args.first, args.after))),
  },
  Mutation: {
    appealBlock: (_parent, args, ctx) =>
      ctx.services.appealBlock({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        message: args.message,
        idempotencyKey: args.idempotencyKey,
      }),
    decideAppeal: (_parent, args, ctx) =>
      ctx.services.decideAppeal({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        appealId: parseId(args.appealId, 'appealId'),
        approve: args.approve,
        note: args.note,
      }),
  },
  AccountStatus: {
    appeal: (status, _args, ctx) => ctx.services.appealForStatus(ctx.viewer, status),
  },
  Appeal: {
    id: (appeal) => appeal.id,
    member: async (appeal, _args, ctx) => requireFound(await ctx.loaders.user(appeal.userId), 'member'),
    decidedBy: (appeal, _args, ctx) =>
      isStaff(ctx.viewer) && appeal.decidedBy ? ctx.loaders.user(appeal.decidedBy) : null,
  },
};
