import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection, requireFound } from './resolver-helpers';

export const messagingResolvers: Resolvers = {
  Query: {
    myConversations: async (_parent, args, ctx) =>
      connection(await ctx.services.listOwnConversations(ctx.viewer, parsePage(args.first, args.after))),
    conversation: (_parent, args, ctx) => ctx.services.getConversation(ctx.viewer, parseId(args.id, 'id')),
  },
  Mutation: {
    sendMessage: (_parent, { input }, ctx) =>
      ctx.services.sendMessage({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        recipientId: parseId(input.recipientId, 'recipientId'),
        text: input.text,
        idempotencyKey: input.idempotencyKey,
      }),
  },
  Message: {
    id: (message) => message.id,
    conversationId: (message) => message.conversationId,
    sender: async (message, _args, ctx) => requireFound(await ctx.loaders.user(message.senderId), 'sender'),
    recipient: async (message, _args, ctx) => requireFound(await ctx.loaders.user(message.recipientId), 'recipient'),
  },
  Conversation: {
    participants: async (conversation, _args, ctx) =>
      Promise.all(conversation.participantIds.map(async (id) => requireFound(await ctx.loaders.user(id), 'participant'))),
    messages: async (conversation, args, ctx) =>
      connection(
        await ctx.services.listConversationMessages(ctx.viewer, conversation.id, parsePage(args.first, args.after)),
      ),
  },
};
