import cors from 'cors';
import type { RequestHandler } from 'express';
import { isOriginAllowed } from '../ws/origin-check';

/** How long a browser may cache a preflight answer. @default 600 (seconds) */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for `/graphql` from ALLOWED_ORIGINS, the same allow-list (and the same check) as
 * the WebSocket Origin check, so a dashboard on another origin can call the API. Unset:
 * no CORS headers at all, so browsers keep other origins out (same-origin only).
 * Credentials are not allowed: Warden authenticates with a bearer token, never a cookie.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler | null {
  if (allowedOrigins.length === 0) return null;
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && isOriginAllowed(origin, allowedOrigins)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-correlation-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-correlation-id', 'retry-after'],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
