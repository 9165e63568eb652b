import type Redis from 'ioredis';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from '../sessions/session-registry';
import type { InstanceIdentity, Presence } from './presence';

/**
 * The hash field that names the instance. Member ids are hex, so it cannot clash; being
 * written with every change, it is in every hash, which makes "the hash exists" and "the
 * instance is alive" the same question.
 */
const INSTANCE_FIELD = '~instance';

/** Redis keys of presence, under the deployment's prefix. */
export function presenceKeys(prefix: string) {
  return {
    /** Set of the keys (InstanceIdentity.key) of instances that have beaten recently. */
    index: `${prefix}presence-instances`,
    /** Hash of one instance: member id → live sockets there, plus INSTANCE_FIELD. Expires. */
    instance: (instanceKey: string) => `${prefix}presence:${instanceKey}`,
  };
}

export interface RedisPresenceOptions {
  /** The deployment's key prefix, e.g. 'warden:'. */
  prefix: string;
  /** PRESENCE_HEARTBEAT_MS */
  heartbeatMs: number;
  /** PRESENCE_TTL_MS */
  ttlMs: number;
}

/**
 * Presence in Redis. Each instance owns one hash, `<prefix>presence:<instance key>`, of
 * member id → number of its local sockets. Every heartbeat rewrites the whole hash from the
 * SessionRegistry and renews its TTL, so a lost update heals within one beat; between beats,
 * each connect and close writes the member's new local count (an absolute HSET, not an
 * HINCRBY: replaying or losing one never leaves the count off). An instance that dies
 * without cleaning up (SIGKILL, power loss) stops counting when its hash expires,
 * PRESENCE_TTL_MS after its last beat at the latest; a graceful stop deletes it at once.
 *
 * Liveness is measured by Redis's own expiry, never by comparing instances' clocks.
 * All writes of this instance go over one connection, in order, so a heartbeat snapshot
 * and the per-change writes cannot overtake each other.
 */
export class RedisPresence implements Presence {
  private readonly keys: ReturnType<typeof presenceKeys>;
  private readonly hashKey: string;
  private timer: NodeJS.Timeout | null = null;
  private beat: Promise<void> | null = null;
  private failing = false;
  private stopped = false;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly registry: SessionRegistry,
    readonly instance: InstanceIdentity,
    private readonly options: RedisPresenceOptions,
    private readonly log: Logger,
  ) {
    this.keys = presenceKeys(options.prefix);
    this.hashKey = this.keys.instance(instance.key);
  }

  /** Writes the first beat (a failure is logged, not thrown: Redis may come later). */
  async start(): Promise<void> {
    this.unlisten = this.registry.onCountChange((userId, count) => this.countChanged(userId, count));
    await this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unlisten?.();
    await this.beat;
    try {
      await this.redis.multi().del(this.hashKey).srem(this.keys.index, this.instance.key).exec();
    } catch (error) {
      // It expires by itself within PRESENCE_TTL_MS.
      this.log.warn({ err: error, action: 'presence-withdraw-failed' }, 'could not delete the presence hash');
    }
  }

  async activeSessionCount(userId: string): Promise<number> {
    const others = (await this.redis.smembers(this.keys.index)).filter((key) => key !== this.instance.key);
    // This instance's own registry is fresher than its hash.
    let total = this.registry.sessionsOf(userId).length;
    if (others.length === 0) return total;
    const pipeline = this.redis.pipeline();
    for (const key of others) pipeline.hget(this.keys.instance(key), userId);
    for (const value of results(await pipeline.exec())) total += Number(value ?? 0) || 0;
    return total;
  }

  async liveInstances(): Promise<InstanceIdentity[]> {
    const others = (await this.redis.smembers(this.keys.index)).filter((key) => key !== this.instance.key);
    const live: InstanceIdentity[] = [this.instance];
    if (others.length === 0) return live;
    const pipeline = this.redis.pipeline();
    for (const key of others) pipeline.hget(this.keys.instance(key), INSTANCE_FIELD);
    results(await pipeline.exec()).forEach((name, i) => {
      // An expired hash answers null: that instance is dead (or cut off from Redis).
      if (typeof name === 'string') live.push({ key: others[i]!, name });
    });
    return live;
  }

  /** Runs one beat, or joins the one under way. Never throws. */
  heartbeat(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.beat ??= this.writeAll()
      .then(() => {
        if (this.failing) this.log.info({ action: 'presence-recovered' }, 'presence heartbeat recovered');
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) {
          this.log.warn({ err: error, action: 'presence-heartbeat-failed' }, 'presence heartbeat failed; will retry');
        }
        this.failing = true;
      })
      .finally(() => {
        this.beat = null;
      });
    return this.beat;
  }

  private async writeAll(): Promise<void> {
    // The snapshot is taken and queued in one tick: no count change can slip in between.
    const fields: string[] = [INSTANCE_FIELD, this.instance.name];
    for (const userId of this.registry.userIds()) {
      fields.push(userId, String(this.registry.sessionsOf(userId).length));
    }
    const written = await this.redis
      .multi()
      .del(this.hashKey)
      .hset(this.hashKey, ...fields)
      .pexpire(this.hashKey, this.options.ttlMs)
      .sadd(this.keys.index, this.instance.key)
      .exec();
    results(written);
    await this.pruneIndex();
  }

  /** Drops the index entries of instances whose hash has expired. */
  private async pruneIndex(): Promise<void> {
    const others = (await this.redis.smembers(this.keys.index)).filter((key) => key !== this.instance.key);
    if (others.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const key of others) pipeline.exists(this.keys.instance(key));
    const exists = results(await pipeline.exec());
    const dead = others.filter((_key, i) => exists[i] === 0);
    // An instance pruned by mistake (its beat landed between EXISTS and SREM) adds itself
    // back at its next beat.
    if (dead.length > 0) await this.redis.srem(this.keys.index, ...dead);
  }

  private countChanged(userId: string, count: number): void {
    if (this.stopped) return;
    const write =
      count > 0
        ? // MULTI: the hash is never left without its TTL, even if this process dies now.
          this.redis
            .multi()
            .hset(this.hashKey, userId, String(count), INSTANCE_FIELD, this.instance.name)
            .pexpire(this.hashKey, this.options.ttlMs)
            .exec()
        : this.redis.hdel(this.hashKey, userId);
    // Redis down: the next heartbeat rewrites everything.
    write.catch(() => undefined);
  }
}

/** The replies of a pipeline or MULTI, throwing the first error. */
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) return [];
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
