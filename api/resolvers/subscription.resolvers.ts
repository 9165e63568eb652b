import type { AccountStatus } from '../../domain/user/account-status';
import type { Message } from '../../domain/messaging/message.aggregate';
import type { Resolvers } from '../generated/graphql';
import { parseId } from '../parse/parse-input';

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    accountStatus: {
      subscribe: (_parent, args, ctx) =>
        ctx.live.accountStatus(
          ctx.session,
          ctx.viewer,
          args.userId ? parseId(args.userId, 'userId') : null,
          ctx.me.accountStatus(),
        ),
      resolve: (status: AccountStatus) => status,
    },
    messageAdded: {
      subscribe: (_parent, _args, ctx) => ctx.live.messageAdded(ctx.session),
      resolve: (message: Message) => message,
    },
  },
};
