import type { Resolvers } from '../generated/graphql';
import { parsePage } from '../parse/parse-input';
import { connection, requireFound } from './resolver-helpers';

export const listingResolvers: Resolvers = {
  Query: {
    myListings: async (_parent, args, ctx) =>
      connection(await ctx.services.listOwnListings(ctx.viewer, parsePage(args.first, args.after))),
  },
  Mutation: {
    createItemListing: (_parent, { input: { idempotencyKey, ...input } }, ctx) =>
      ctx.services.createItemListing({ viewer: ctx.viewer, correlationId: ctx.correlationId, input, idempotencyKey }),
  },
  ItemListing: {
    id: (listing) => listing.id,
    sharer: async (listing, _args, ctx) => requireFound(await ctx.loaders.user(listing.sharerId), 'sharer'),
  },
};
