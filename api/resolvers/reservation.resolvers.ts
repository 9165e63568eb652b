import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection, requireFound } from './resolver-helpers';

export const reservationResolvers: Resolvers = {
  Query: {
    myReservations: async (_parent, args, ctx) =>
      connection(await ctx.services.listOwnReservations(ctx.viewer, parsePage(args.first, args.after))),
  },
  Mutation: {
    createReservationRequest: (_parent, { input }, ctx) =>
      ctx.services.requestReservation({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        listingId: parseId(input.listingId, 'listingId'),
        start: input.start,
        end: input.end,
        idempotencyKey: input.idempotencyKey,
      }),
  },
  ReservationRequest: {
    id: (request) => request.id,
    listing: async (request, _args, ctx) => requireFound(await ctx.loaders.listing(request.listingId), 'listing'),
    reserver: async (request, _args, ctx) => requireFound(await ctx.loaders.user(request.reserverId), 'reserver'),
  },
};
