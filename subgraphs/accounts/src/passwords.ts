// Password hashing with scrypt from node:crypto: memory-hard, built in, no native addon to ship.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
// Stored hashes carry their own parameters; refuse absurd ones so a bad row cannot pin a CPU.
const MAX_COST = 1 << 20;

function derive(password: string, salt: Buffer, params: ScryptOptions, keyBytes: number): Promise<Buffer> {
  // 128 * N * r bytes of working memory, plus headroom: Node's default `maxmem` is 32 MiB.
  const maxmem = 128 * (params.N ?? PARAMS.N) * (params.r ?? PARAMS.r) * 2;
  return new Promise((resolve, reject) => {
    scrypt(normalize(password), salt, keyBytes, { ...params, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The same text typed on two keyboards can differ in Unicode form; hash one canonical form. */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/** `scrypt$16384$8$1$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS, KEY_BYTES);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  params: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!valid(N, MAX_COST) || (N & (N - 1)) !== 0 || !valid(r, 32) || !valid(p, 16)) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || key.length === 0) return null;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches `stored`. Compares in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(candidate, parsed.key);
}

// A well-formed hash with today's parameters that no password matches (its key is all zeros, and
// scrypt output is never that in practice). Verifying against it costs what a real check costs.
const DUMMY_HASH = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, Buffer.alloc(SALT_BYTES).toString('base64'), Buffer.alloc(KEY_BYTES).toString('base64')].join('$');

/**
 * Burns the time of one password check without a user. Log-in runs it for unknown emails so the
 * answer time does not tell whether an account exists.
 */
export async function verifyAgainstNobody(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
