import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The client's address: the peer's, or with `trustedProxyHops` proxies in front (each
 * appending the address it saw to X-Forwarded-For), the entry that many places from the
 * right; entries further left are whatever the client claimed and are never trusted.
 * IPv4-mapped IPv6 addresses are written as IPv4. Null when the socket is already gone.
 */
export function clientIp(request: IncomingMessage, trustedProxyHops: number): string | null {
  const peer = request.socket?.remoteAddress ?? null;
  if (trustedProxyHops > 0) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    // Fewer entries than trusted proxies: all of them were written by our proxies.
    const forwarded = hops[Math.max(0, hops.length - trustedProxyHops)];
    if (forwarded && isIP(withoutZone(forwarded))) return normalized(forwarded);
  }
  return peer ? normalized(peer) : null;
}

/**
 * What a per-IP limit counts: the address itself for IPv4, the /64 network for IPv6 (one
 * subscriber usually holds a whole /64, so a per-address limit would be no limit).
 */
export function ipSubject(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  // An embedded IPv4 tail (64:ff9b::1.2.3.4) fills two groups.
  const right = (tail ? tail.split(':') : []).flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}

function normalized(address: string): string {
  const plain = withoutZone(address).toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  return mapped?.[1] ?? plain;
}

function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}
