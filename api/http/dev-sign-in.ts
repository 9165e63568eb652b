import express, { type Router } from 'express';
import { SignJWT } from 'jose';
import type { JwtConfig } from '../../infrastructure/config/config';
import { DEV_TOKEN_TTL_SECONDS } from '../../infrastructure/config/limits';

/** The identities the development sign-in offers. */
export const DEV_IDENTITIES = {
  member: { sub: 'dev-member', name: 'Mia Member', email: 'mia@example.org', roles: [] },
  moderator: { sub: 'dev-moderator', name: 'Mo Moderator', email: 'mo@example.org', roles: ['moderator'] },
  admin: { sub: 'dev-admin', name: 'Ada Admin', email: 'ada@example.org', roles: ['admin'] },
} as const;
type Identity = keyof typeof DEV_IDENTITIES;

/**
 * Development only (never mounted when NODE_ENV=production): `GET /dev/sign-in` offers the
 * identities; `POST /dev/sign-in` mints a token signed with the configured secret and
 * hands it to the chosen app in the URL fragment, as the identity provider would.
 */
export function devSignIn(jwt: JwtConfig): Router {
  const router = express.Router();
  const key = new TextEncoder().encode(jwt.secret);
  router.get('/dev/sign-in', (_req, res) => {
    res.set({ 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" });
    res.type('html').send(page());
  });
  router.post('/dev/sign-in', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const identity = String(req.body?.identity ?? '') as Identity;
    const app = req.body?.app === 'console' ? '/console/' : '/';
    const chosen = DEV_IDENTITIES[identity];
    if (!chosen) {
      res.status(400).type('text/plain').send('Unknown identity');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = new SignJWT({ name: chosen.name, email: chosen.email, roles: [...chosen.roles] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(chosen.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + DEV_TOKEN_TTL_SECONDS);
    if (jwt.issuer) token.setIssuer(jwt.issuer);
    if (jwt.audience) token.setAudience(jwt.audience);
    res.set('cache-control', 'no-store').redirect(303, `${app}#token=${await token.sign(key)}`);
  });
  return router;
}

function page(): string {
  const option = (identity: Identity, app: 'member' | 'console', label: string) =>
    `<form method="post" action="/dev/sign-in"><input type="hidden" name="identity" value="${identity}">` +
    `<input type="hidden" name="app" value="${app}"><button type="submit">${label}</button></form>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development sign-in</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}form{display:inline-block;margin:.25rem}button{font:inherit;padding:.5rem 1rem}</style>
</head><body><main><h1>Development sign-in</h1>
<p>This page exists only outside production. It mints a token for a fixed identity and opens the app with it.</p>
<h2>Member app</h2>${option('member', 'member', 'Sign in as Mia Member (member)')}
<h2>Moderation console</h2>${option('moderator', 'console', 'Sign in as Mo Moderator (moderator)')}${option('admin', 'console', 'Sign in as Ada Admin (admin)')}
</main></body></html>`;
}
