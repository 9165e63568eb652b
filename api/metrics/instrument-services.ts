import type { Actor } from '../../domain/shared/domain-event';
import type { ModerationAction, ModerationSource, WardenMetrics } from '../../infrastructure/metrics/warden-metrics';
import type { AppServices } from '../app-services';

/** The staff use cases counted, by the action they are counted as. */
const COUNTED: Record<string, ModerationAction> = {
  blockUser: 'block',
  unblockUser: 'unblock',
  restrictUser: 'restrict',
  liftRestriction: 'lift',
  forceDisconnect: 'force_disconnect',
};

/**
 * Counts each moderation use case that succeeds, by source: the system actor (an
 * automated block goes through blockUser too) is `automated`, else the actor's role.
 * Wraps the services in place, so every caller (resolvers, the automated block) is counted.
 * Use cases absent from this build are skipped.
 */
export function instrumentServices(services: AppServices, metrics: WardenMetrics): void {
  const table = services as unknown as Record<string, unknown>;
  for (const [name, action] of Object.entries(COUNTED)) {
    const useCase = table[name];
    if (typeof useCase !== 'function') continue;
    table[name] = async (command: { viewer?: Actor & { role?: unknown } }, ...rest: unknown[]) => {
      const result = await (useCase as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      metrics.moderationAction(action, sourceOf(command.viewer));
      return result;
    };
  }
}

export function sourceOf(actor: (Actor & { role?: unknown }) | undefined): ModerationSource {
  if (!actor || actor.userId === null) return 'automated';
  if (typeof actor.role === 'string') return actor.role.toUpperCase() === 'ADMIN' ? 'admin' : 'moderator';
  return actor.isAdmin ? 'admin' : 'moderator';
}
