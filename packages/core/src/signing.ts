import { createHash, createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ErrorCode } from './errors.ts';

/**
 * Router→subgraph request signing. A subgraph serves only requests the router sent: the router
 * signs each request with the subgraph's own secret, and the subgraph checks the signature before
 * it reads the body. The signature covers what a subgraph acts on — method, path (with query
 * string), the body (as its sha256), the forwarded identity header — plus a timestamp and a random
 * nonce, so a captured request cannot be altered, replayed later, or replayed at once.
 *
 * Header value: `t=<unix seconds>,n=<nonce>,v1=<base64url HMAC-SHA256>`, where the HMAC is over the
 * canonical string `v1\n<METHOD>\n<path>\n<t>\n<nonce>\n<identity header or "">\n<sha256(body) hex>`.
 */
export const SIGNATURE_HEADER = 'x-store-signature';
export const SIGNATURE_VERSION = 'v1';
/** Default accepted clock difference between router and subgraph, either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_MS = 30_000;
/** Default number of recently seen nonces kept to refuse replays. */
export const DEFAULT_REPLAY_CACHE_SIZE = 100_000;

/**
 * Where the nonces of accepted requests are remembered, to refuse replays. The default is a bounded
 * cache in this process, which replicas of one subgraph do not share; a shared store (Redis, see
 * @store/subgraph-kit) makes a request accepted by one replica a replay for all of them.
 */
export interface NonceStore {
  /**
   * Remembers `nonce` for `ttlMs` and resolves true, or resolves false when it is already
   * remembered (a replay). Rejects when it cannot tell: the verifier then rejects too.
   */
  claim(nonce: string, ttlMs: number): Promise<boolean>;
}

/** What a signature covers. */
export interface SignedRequestParts {
  method: string;
  /** Path and query string, as sent on the request line (e.g. `/graphql`). */
  path: string;
  /** The body text exactly as sent (`''` for none). */
  body: string;
  /** The `x-store-identity` header value, if any. */
  identity: string | undefined;
}

/** Secrets from one variable: comma-separated, blanks ignored (several = key rotation). */
export function parseSigningSecrets(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function canonicalString(parts: SignedRequestParts, timestamp: string, nonce: string): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  return `${SIGNATURE_VERSION}\n${parts.method.toUpperCase()}\n${parts.path}\n${timestamp}\n${nonce}\n${parts.identity ?? ''}\n${bodyHash}`;
}

function hmac(key: KeyObject, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

export type RequestSigner = (parts: SignedRequestParts) => string;

/**
 * Returns a function that makes the signature header value of a request: one sha256 of the body
 * and one HMAC per call, with the key prepared once.
 */
export function createRequestSigner(secret: string, now: () => number = Date.now): RequestSigner {
  if (secret === '') throw new Error('a request-signing secret cannot be empty');
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (parts) => {
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = randomUUID();
    const signature = hmac(key, canonicalString(parts, timestamp, nonce)).toString('base64url');
    return `t=${timestamp},n=${nonce},${SIGNATURE_VERSION}=${signature}`;
  };
}

export type SignatureFailureCode =
  | typeof ErrorCode.REQUEST_SIGNATURE_MISSING
  | typeof ErrorCode.REQUEST_SIGNATURE_MALFORMED
  | typeof ErrorCode.REQUEST_SIGNATURE_EXPIRED
  | typeof ErrorCode.REQUEST_SIGNATURE_INVALID
  | typeof ErrorCode.REQUEST_SIGNATURE_REPLAYED;

/** A refused signature is an expected outcome, hence a value: the code and a reason for the log. */
export type SignatureCheck = { ok: true } | { ok: false; code: SignatureFailureCode; reason: string };

export interface RequestVerifierOptions {
  /** Accepted secrets (the current one, and during a rotation the previous one). */
  secrets: readonly string[];
  /** Accepted clock difference, either way. Default 30 s. */
  toleranceMs?: number;
  /** Nonces remembered to refuse replays in this process (oldest forgotten first when full). Default 100 000. */
  replayCacheSize?: number;
  /** Remembers nonces elsewhere (shared by replicas) instead of in this process. */
  nonceStore?: NonceStore;
  now?: () => number;
}

/** Resolves to the check's outcome; rejects only when the nonce store cannot answer. */
export type RequestVerifier = (parts: SignedRequestParts, header: string | undefined) => Promise<SignatureCheck>;

const HEADER_FORMAT = /^t=([0-9]{1,15}),n=([A-Za-z0-9_-]{16,64}),v1=([A-Za-z0-9_-]{43})$/;
const HMAC_BYTES = 32;

/**
 * Returns a function that checks a request's signature header: well-formed, timestamp within the
 * tolerance, HMAC of one of the secrets (compared in constant time), and a nonce not seen before
 * while its timestamp is still acceptable (in this process, or in `nonceStore`).
 */
export function createRequestVerifier(options: RequestVerifierOptions): RequestVerifier {
  if (options.secrets.length === 0 || options.secrets.some((s) => s === '')) throw new Error('request verification needs at least one non-empty secret');
  const keys = options.secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  const toleranceMs = options.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS;
  const now = options.now ?? Date.now;
  const seen = options.nonceStore ?? null;
  const local = seen ? null : createNonceCache(options.replayCacheSize ?? DEFAULT_REPLAY_CACHE_SIZE);
  // A shared store keeps a nonce for twice the tolerance: past its timestamp's whole window
  // (`at + tolerance`) on this replica, with as much again for replicas whose clocks lag behind.
  const sharedTtlMs = 2 * toleranceMs;
  const refuse = (code: SignatureFailureCode, reason: string): SignatureCheck => ({ ok: false, code, reason });

  return async (parts, header) => {
    if (header === undefined || header === '') return refuse(ErrorCode.REQUEST_SIGNATURE_MISSING, `no ${SIGNATURE_HEADER} header`);
    const match = HEADER_FORMAT.exec(header);
    if (!match) return refuse(ErrorCode.REQUEST_SIGNATURE_MALFORMED, `${SIGNATURE_HEADER} is not "t=<seconds>,n=<nonce>,v1=<signature>"`);
    const [, timestamp, nonce, signature] = match as unknown as [string, string, string, string];
    const at = Number(timestamp) * 1000;
    const clock = now();
    if (at < clock - toleranceMs) return refuse(ErrorCode.REQUEST_SIGNATURE_EXPIRED, `timestamp is ${Math.round((clock - at) / 1000)} s old`);
    if (at > clock + toleranceMs) return refuse(ErrorCode.REQUEST_SIGNATURE_EXPIRED, `timestamp is ${Math.round((at - clock) / 1000)} s in the future`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== HMAC_BYTES) return refuse(ErrorCode.REQUEST_SIGNATURE_MALFORMED, 'signature is not 32 bytes');
    const text = canonicalString(parts, timestamp, nonce);
    // Every key is tried (no early exit), so the time taken does not tell which one matched.
    let valid = false;
    for (const key of keys) valid = timingSafeEqual(hmac(key, text), given) || valid;
    if (!valid) return refuse(ErrorCode.REQUEST_SIGNATURE_INVALID, 'signature does not match (wrong secret, or method, path, body or identity changed)');
    // Remembered only once the signature is valid: forged nonces cannot fill the cache.
    const fresh = local ? local.add(nonce, at + toleranceMs, clock) : await seen!.claim(nonce, sharedTtlMs);
    if (!fresh) return refuse(ErrorCode.REQUEST_SIGNATURE_REPLAYED, 'nonce already used');
    return { ok: true };
  };
}

/**
 * Nonces with the time after which their timestamp is refused anyway (then they can be forgotten).
 * Bounded: when full, the oldest entry goes, so replay protection holds for the most recent
 * `capacity` requests within the tolerance.
 */
function createNonceCache(capacity: number) {
  const entries = new Map<string, number>();
  return {
    /** False when `nonce` was already seen. */
    add(nonce: string, forgetAfter: number, clock: number): boolean {
      if (entries.has(nonce)) return false;
      // Insertion order is close to expiry order: drop expired entries from the front.
      for (const [oldNonce, expiry] of entries) {
        if (expiry >= clock && entries.size < capacity) break;
        entries.delete(oldNonce);
      }
      entries.set(nonce, forgetAfter);
      return true;
    },
  };
}
