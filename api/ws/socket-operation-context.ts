import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import type { Viewer } from '../../domain/use-cases/viewer';
import type { Logger } from '../../infrastructure/logging/logger';
import { flatUuid } from '../../infrastructure/shared/flat-uuid';
import type { LiveSession } from '../../infrastructure/sessions/live-session';
import type { AppServices } from '../app-services';
import type { GraphQLContext, ReportedRefusals } from '../context';
import type { OperationDeadline } from '../limits/operation-deadline';
import { createLoaders, type Loaders } from '../loaders';
import type { LiveSubscriptions } from './live-subscriptions';

/**
 * The context of one operation on a socket. An idle subscription keeps it for the socket's
 * life, so it is a class (one shape, methods on the prototype), and its logger and loaders
 * are built on first use: ten thousand idle sockets should not each carry them.
 */
export class SocketOperationContext implements GraphQLContext {
  readonly correlationId = flatUuid();
  deadline?: OperationDeadline;
  reported?: ReportedRefusals;
  private builtLoaders?: Loaders;
  private builtLog?: Logger;

  constructor(
    readonly viewer: Viewer,
    readonly me: PersonalUser,
    readonly services: AppServices,
    readonly live: LiveSubscriptions,
    readonly session: LiveSession,
    private readonly baseLog: Logger,
  ) {}

  get clientIp(): string | null {
    return this.session.clientIp;
  }

  get loaders(): Loaders {
    return (this.builtLoaders ??= createLoaders(this.services, [this.me]));
  }

  get log(): Logger {
    return (this.builtLog ??= this.baseLog.child({ userId: this.viewer.userId, correlationId: this.correlationId }));
  }
}
