import { SignJWT } from 'jose';

export const TEST_JWT_SECRET = 'warden-test-secret-0123456789abcdef';

export interface TokenOptions {
  sub: string;
  admin?: boolean;
  name?: string;
  /** Seconds from now; negative for an expired token. @default 3600 */
  expiresIn?: number;
  secret?: string;
  issuer?: string;
  audience?: string;
  /** The issuing time, for a Warden whose clock was moved. @default the real time */
  now?: Date;
}

export async function signToken(options: TokenOptions): Promise<string> {
  const now = Math.floor((options.now?.getTime() ?? Date.now()) / 1000);
  const jwt = new SignJWT({ roles: options.admin ? ['admin'] : [], ...(options.name ? { name: options.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** An unsigned `alg: none` token, which must never be accepted. */
export function unsignedToken(sub: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub, exp: Math.floor(Date.now() / 1000) + 3600, roles: ['admin'] })}.`;
}
