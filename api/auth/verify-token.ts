import { errors as joseErrors, jwtVerify } from 'jose';
import type { ProvisionProfile } from '../../domain/user/personal-user.repository';
import type { Role } from '../../domain/user/role';
import { systemClock, type Clock } from '../../domain/shared/clock';
import type { JwtConfig } from '../../infrastructure/config/config';
import { hasBidiControl, hasLoneSurrogate } from '../../domain/shared/text';

/** What Warden takes from a verified token. */
export interface TokenClaims {
  sub: string;
  email: string | null;
  name: string | null;
  /** From `roles`: "admin" makes ADMIN, else "moderator" makes MODERATOR, else MEMBER. */
  role: Role;
  /** The token's `exp`: a socket opened with it is closed then (4401). */
  expiresAt: Date;
}

/** Missing, malformed, expired or badly signed token: UNAUTHENTICATED / close 4401. */
export class InvalidTokenError extends Error {}

const MAX_SUB_LENGTH = 128;
const MAX_PROFILE_CLAIM_LENGTH = 320;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1F\x7F]/;

export type TokenVerifier = (token: string | null) => Promise<TokenClaims>;

/**
 * HS256 only: pinning the algorithm is what refuses `alg: none` and key-confusion
 * tokens. `exp` is required; `iss` and `aud` are checked when configured. A token that
 * lives longer than `maxLifetimeSeconds`, or was issued further in the future than
 * `clockSkewSeconds`, is refused: a leaked token is bounded in time.
 */
export function createTokenVerifier(config: JwtConfig, clock: Clock = systemClock): TokenVerifier {
  const key = new TextEncoder().encode(config.secret);
  return async (token) => {
    if (!token) throw new InvalidTokenError('Missing bearer token');
    let payload;
    const now = clock.now();
    try {
      ({ payload } = await jwtVerify(token, key, {
        currentDate: now,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        ...(config.issuer ? { issuer: config.issuer } : {}),
        ...(config.audience ? { audience: config.audience } : {}),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
        throw new InvalidTokenError(error instanceof joseErrors.JWTExpired ? 'Token expired' : 'Invalid token');
      }
      throw error;
    }
    const { sub, email, name, roles, exp, iat } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || sub.trim().length === 0 || sub.length > MAX_SUB_LENGTH || !displayable(sub)) {
      throw new InvalidTokenError('Invalid subject');
    }
    // jose checked that both are numbers when present, and that exp has not passed.
    const nowSeconds = now.getTime() / 1000;
    const issuedAt = typeof iat === 'number' ? iat : nowSeconds;
    if (issuedAt > nowSeconds + config.clockSkewSeconds) throw new InvalidTokenError('Token issued in the future');
    if ((exp as number) - issuedAt > config.maxLifetimeSeconds) throw new InvalidTokenError('Token lifetime too long');
    return {
      sub,
      email: profileClaim(email),
      name: profileClaim(name),
      role: roleFromClaim(roles),
      expiresAt: new Date((exp as number) * 1000),
    };
  };
}

/** The member a token describes, as provisioning takes it (HTTP and WebSocket alike). */
export function profileOf(claims: TokenClaims): ProvisionProfile {
  return {
    externalId: claims.sub,
    displayName: claims.name,
    email: claims.email,
    role: claims.role,
  };
}

/** The highest role a token's `roles` claim names. */
export function roleFromClaim(roles: unknown): Role {
  if (!Array.isArray(roles)) return 'MEMBER';
  if (roles.includes('admin')) return 'ADMIN';
  return roles.includes('moderator') ? 'MODERATOR' : 'MEMBER';
}

/** `Bearer <token>` → token; anything else → null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function profileClaim(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text && text.length <= MAX_PROFILE_CLAIM_LENGTH && displayable(text) ? text : null;
}

/** The shared text rules (domain/shared/text.ts) plus no newline or tab: one line. */
function displayable(text: string): boolean {
  return !CONTROL.test(text) && !hasLoneSurrogate(text) && !hasBidiControl(text);
}
