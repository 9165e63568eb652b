import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import type { ProvisionProfile } from '../../domain/user/personal-user.repository';
import { BoundedMap } from '../../infrastructure/shared/bounded-map';

const CACHED_CALLERS = 100_000;

type Provision = (profile: ProvisionProfile) => Promise<PersonalUser>;

/**
 * For the throughput benchmark only (CALLER_CACHE_MS): the same server with the guard's
 * store read cached, to show what that read costs. Never on in a deployment: a block would
 * take up to `ttlMs` to reach HTTP requests.
 */
export function cachedProvisioning(provision: Provision, ttlMs: number): Provision {
  if (ttlMs <= 0) return provision;
  const cache = new BoundedMap<string, { at: number; member: Promise<PersonalUser> }>(CACHED_CALLERS);
  return (profile) => {
    const key = JSON.stringify(profile);
    const hit = cache.get(key);
    if (hit && performance.now() - hit.at < ttlMs) return hit.member;
    const member = provision(profile);
    cache.set(key, { at: performance.now(), member });
    member.catch(() => cache.delete(key));
    return member;
  };
}
