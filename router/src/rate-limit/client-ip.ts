import type { IncomingMessage } from 'node:http';

/**
 * The caller's address. With `trustedProxyHops` = 0 (the default) it is the socket's peer, which a
 * client cannot forge. Behind n trusted proxies it is the address the outermost of them saw: the
 * n-th entry from the right of `X-Forwarded-For` (each proxy appends its peer), never an entry
 * further left, which the client wrote itself. With fewer entries than hops, the leftmost one.
 */
export function clientIpOf(req: IncomingMessage, trustedProxyHops: number): string {
  const socket = normalizeIp(req.socket.remoteAddress ?? 'unknown');
  if (trustedProxyHops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const chain = [...forwarded, socket];
  return normalizeIp(chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!);
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) counts as `10.0.0.1`. */
function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
