import type { PubSubEngine } from 'graphql-subscriptions';
import { ROLES, type Role } from '../../domain/user/role';
import { RIGHTS_MEMORY_SIZE } from '../config/limits';
import type { Logger } from '../logging/logger';
import { BoundedMap } from '../shared/bounded-map';
import { ChannelListener } from '../events/channel-listener';
import type { SessionRegistry } from './session-registry';

/** Whether a role carries staff rights: anything above MEMBER (MODERATOR, ADMIN). */
export function isStaffRole(role: string): boolean {
  return role !== 'MEMBER';
}

/** The lower of two roles by rank (domain/user/role.ts). */
export function lesserRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/** Published on `Channels.rightsReduced`: end the member's staff-only subscriptions. */
interface RightsReduced {
  userId: string;
}

/**
 * Privileges do not outlive a demotion. Each socket keeps the rights of the token it was
 * opened with; when a later token of the same member authenticates without staff rights
 * (HTTP or WebSocket, any instance), every instance ends that member's staff-only
 * subscriptions, through the same pub/sub fan-out as blocks. Pub/sub may lose the signal:
 * the session sweep re-checks stored roles (`endRevoked`), as it does blocks.
 *
 * An instance signals when it last saw the member as staff, or has not seen it yet (its
 * first request here, or forgotten past RIGHTS_MEMORY_SIZE): one signal per member and
 * instance, then only on a real drop.
 */
export class StaffRights {
  private readonly lastSeenStaff = new BoundedMap<string, boolean>(RIGHTS_MEMORY_SIZE);
  private readonly listener: ChannelListener;

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly channel: string,
    private readonly registry: SessionRegistry,
    private readonly log: Logger,
  ) {
    this.listener = new ChannelListener(pubsub, { [channel]: (raw) => this.onReduced(raw) });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): void {
    this.listener.stop();
  }

  /** Called at every authentication with the rights the token gave. Never throws. */
  noteAuthenticated(userId: string, staff: boolean): void {
    const before = this.lastSeenStaff.get(userId);
    this.lastSeenStaff.set(userId, staff);
    if (staff || before === false) return;
    this.end(userId, 'token');
    this.pubsub.publish(this.channel, { userId } satisfies RightsReduced).catch((error: unknown) => {
      this.log.warn({ err: error, userId, action: 'rights-signal-failed' }, 'could not publish a drop of rights; the sweep ends them');
    });
  }

  /** The sweep's half: ends the staff streams of members whose stored role is no longer staff. */
  async endRevoked(currentRoles: (userIds: string[]) => Promise<Map<string, string>>): Promise<void> {
    const holders = this.registry.staffUserIds();
    if (holders.length === 0) return;
    const roles = await currentRoles(holders);
    for (const userId of holders) {
      const role = roles.get(userId);
      if (role === undefined || !isStaffRole(role)) this.end(userId, 'sweep');
    }
  }

  private onReduced(raw: unknown): void {
    const userId = (raw as Partial<RightsReduced> | null)?.userId;
    if (typeof userId === 'string') this.end(userId, 'signal');
  }

  private end(userId: string, via: string): void {
    const ended = this.registry.endStaffStreams(userId);
    if (ended > 0) this.log.info({ action: 'staff-streams-ended', userId, ended, via }, 'rights dropped: staff subscriptions ended');
  }
}
