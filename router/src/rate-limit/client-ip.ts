import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

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

/** Longest text kept of an address that is not one (an `X-Forwarded-For` entry can be anything). */
const MAX_OTHER_ADDRESS_LENGTH = 64;

/**
 * Whose budget an address spends: an IPv4 address is one caller; an IPv6 address counts as its
 * /64, because one subscriber (or attacker) is routinely given a whole /64 and can pick a fresh
 * address in it for every request. IPv4-mapped IPv6 (`::ffff:1.2.3.4`, in either notation) is its
 * IPv4 address. Anything else (an `X-Forwarded-For` entry that is no address) is kept as written,
 * cut short.
 */
export function addressBucketOf(address: string): string {
  const plain = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(plain)) return plain;
  // A zone (`fe80::1%eth0`) names an interface of this host, not a different caller.
  const unzoned = plain.split('%', 1)[0]!;
  if (!isIPv6(unzoned)) return address.slice(0, MAX_OTHER_ADDRESS_LENGTH);
  const groups = ipv6Groups(unzoned);
  // ::ffff:0:0/96 is IPv4-mapped.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
