import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection } from './resolver-helpers';

export const webhookResolvers: Resolvers = {
  Query: {
    webhookDeadLetters: async (_parent, { first, after }, ctx) =>
      connection(await ctx.services.listWebhookDeadLetters(ctx.viewer, parsePage(first, after))),
  },
  Mutation: {
    replayWebhook: (_parent, { eventId }, ctx) =>
      ctx.services.replayWebhook({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        eventId: parseId(eventId, 'eventId'),
      }),
  },
};
