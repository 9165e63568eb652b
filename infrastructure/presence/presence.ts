import { randomBytes } from 'node:crypto';
import type { SessionRegistry } from '../sessions/session-registry';

/** One running Warden as presence knows it. */
export interface InstanceIdentity {
  /** INSTANCE_ID: what logs, audit entries and operators call it. */
  readonly name: string;
  /**
   * Unique per process start (`<name>:<random>`): two instances misconfigured with one
   * INSTANCE_ID, or a crashed instance restarted under its old name, never share a hash.
   */
  readonly key: string;
}

export function instanceIdentity(name: string): InstanceIdentity {
  return { name, key: `${name}:${randomBytes(4).toString('hex')}` };
}

/** Who is connected where, across the instances of one deployment. */
export interface Presence {
  readonly instance: InstanceIdentity;
  start(): Promise<void>;
  /** Stops reporting and withdraws this instance's entries (graceful shutdown). */
  stop(): Promise<void>;
  /** Live sockets of `userId` on every instance alive now. */
  activeSessionCount(userId: string): Promise<number>;
  /** Instances alive now (this one included), by key, with their names. */
  liveInstances(): Promise<InstanceIdentity[]>;
}

/** Without Redis there is one instance: its registry is the whole truth. */
export class LocalPresence implements Presence {
  constructor(
    private readonly registry: SessionRegistry,
    readonly instance: InstanceIdentity,
  ) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async activeSessionCount(userId: string): Promise<number> {
    return this.registry.sessionsOf(userId).length;
  }

  async liveInstances(): Promise<InstanceIdentity[]> {
    return [this.instance];
  }
}
