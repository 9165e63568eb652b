/**
 * Browsers always send `Origin` on a WebSocket handshake and, unlike fetch, apply no
 * CORS to it: without this check any page could open a socket with the member's
 * cookies or stored token. Non-browser clients send no Origin and are let through.
 * An empty allow-list allows every origin (development).
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin || allowed.length === 0) return true;
  return allowed.includes(origin);
}
