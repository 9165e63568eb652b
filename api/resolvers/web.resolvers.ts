import type { Resolvers } from '../generated/graphql';
import { parseId, parsePage } from '../parse/parse-input';
import { connection } from './resolver-helpers';

/** The queries and mutations the member app and the console added (schema/web.graphql). */
export const webResolvers: Resolvers = {
  Query: {
    members: async (_parent, { filter, first, after }, ctx) => {
      const found = await ctx.services.searchMembers(
        ctx.viewer,
        {
          search: filter?.search ?? null,
          states: filter?.states ?? null,
          roles: filter?.roles ?? null,
          appealOpen: filter?.appealOpen ?? null,
        },
        parsePage(first, after),
      );
      return { ...connection(found), totalCount: found.totalCount };
    },
    moderationStats: (_parent, { since, until }, ctx) => ctx.services.moderationStats(ctx.viewer, since, until),
    listings: async (_parent, { filter, first, after }, ctx) =>
      connection(
        await ctx.services.browseListings(
          { category: filter?.category ?? null, search: filter?.search ?? null },
          parsePage(first, after),
        ),
      ),
    listing: (_parent, { id }, ctx) => ctx.services.getListing(parseId(id, 'id')),
    myStandingHistory: (_parent, _args, ctx) => ctx.services.ownStandingHistory(ctx.me),
    requestsForMyListings: async (_parent, { first, after }, ctx) =>
      connection(await ctx.services.listRequestsForOwnListings(ctx.viewer, parsePage(first, after))),
  },
  Mutation: {
    acceptReservationRequest: (_parent, { requestId }, ctx) =>
      ctx.services.acceptReservationRequest({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        requestId: parseId(requestId, 'requestId'),
      }),
    declineReservationRequest: (_parent, { requestId }, ctx) =>
      ctx.services.declineReservationRequest({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        requestId: parseId(requestId, 'requestId'),
      }),
    cancelReservationRequest: (_parent, { requestId }, ctx) =>
      ctx.services.cancelReservationRequest({
        viewer: ctx.viewer,
        correlationId: ctx.correlationId,
        requestId: parseId(requestId, 'requestId'),
      }),
  },
  PersonalUser: {
    moderationOptions: (user, _args, ctx) => ctx.services.moderationOptionsFor(ctx.viewer, user),
  },
};
