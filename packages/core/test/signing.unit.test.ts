import { describe, expect, it } from 'vitest';
import { createRequestSigner, createRequestVerifier, ErrorCode, parseSigningSecrets, type NonceStore, type SignedRequestParts } from '../src/index.ts';

const SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
const OTHER = 'another-secret-of-more-than-thirty-two-characters';
const T0 = Date.UTC(2030, 0, 1);
const request: SignedRequestParts = { method: 'POST', path: '/graphql', body: '{"query":"{ me { id } }"}', identity: 'eyJzdWIiOiJ1MSJ9' };

/** A verifier and a signer whose clocks the test moves. */
function setup(options: { secrets?: string[]; toleranceMs?: number; replayCacheSize?: number } = {}) {
  const clock = { now: T0 };
  const verify = createRequestVerifier({ secrets: options.secrets ?? [SECRET], now: () => clock.now, ...options });
  const sign = (secret = SECRET, at = clock.now) => createRequestSigner(secret, () => at);
  return { clock, verify, sign };
}

describe('request signatures', () => {
  it('accepts a request signed with the secret, as sent', async () => {
    const { verify, sign } = setup();
    expect(await verify(request, sign()(request))).toEqual({ ok: true });
  });

  it('accepts a request without identity, and one with an empty body', async () => {
    const { verify, sign } = setup();
    const anonymous = { ...request, identity: undefined };
    expect(await verify(anonymous, sign()(anonymous))).toEqual({ ok: true });
    const get = { method: 'GET', path: '/graphql?query=%7B__typename%7D', body: '', identity: undefined };
    expect(await verify(get, sign()(get))).toEqual({ ok: true });
  });

  it.each([
    ['body', { body: '{"query":"{ users { id } }"}' }],
    ['path', { path: '/graphql?x=1' }],
    ['method', { method: 'GET' }],
    ['identity', { identity: 'eyJzdWIiOiJhZG1pbiJ9' }],
    ['identity removed', { identity: undefined }],
  ])('refuses a request whose %s changed after signing (REQUEST_SIGNATURE_INVALID)', async (_what, change) => {
    const { verify, sign } = setup();
    const header = sign()(request);
    expect(await verify({ ...request, ...change }, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_INVALID });
  });

  it('refuses a signature made with another secret', async () => {
    const { verify, sign } = setup();
    expect(await verify(request, sign(OTHER)(request))).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_INVALID });
  });

  it('refuses a timestamp older than the tolerance, and accepts one just inside it', async () => {
    const { verify, sign } = setup({ toleranceMs: 30_000 });
    expect(await verify(request, sign(SECRET, T0 - 31_000)(request))).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_EXPIRED });
    expect(await verify(request, sign(SECRET, T0 - 29_000)(request))).toEqual({ ok: true });
  });

  it('refuses a timestamp further in the future than the tolerance', async () => {
    const { verify, sign } = setup({ toleranceMs: 30_000 });
    const check = await verify(request, sign(SECRET, T0 + 31_000)(request));
    expect(check).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_EXPIRED });
    expect(check.ok ? '' : check.reason).toMatch(/future/);
    expect(await verify(request, sign(SECRET, T0 + 29_000)(request))).toEqual({ ok: true });
  });

  it('refuses the same signed request a second time (REQUEST_SIGNATURE_REPLAYED), and later as expired', async () => {
    const { clock, verify, sign } = setup();
    const header = sign()(request);
    expect(await verify(request, header)).toEqual({ ok: true });
    expect(await verify(request, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    clock.now += 60_000;
    expect(await verify(request, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_EXPIRED });
  });

  it('gives every signature its own nonce: identical requests are both accepted', async () => {
    const { verify, sign } = setup();
    const signer = sign();
    const first = signer(request);
    const second = signer(request);
    expect(first).not.toBe(second);
    expect(await verify(request, first)).toEqual({ ok: true });
    expect(await verify(request, second)).toEqual({ ok: true });
  });

  it('keeps the replay cache bounded, forgetting expired nonces first', async () => {
    const { clock, verify, sign } = setup({ replayCacheSize: 2 });
    const old = sign()(request);
    expect(await verify(request, old)).toEqual({ ok: true });
    clock.now += 31_000; // `old` has expired: its slot is reusable
    for (let i = 0; i < 5; i++) expect(await verify(request, sign()(request))).toEqual({ ok: true });
    const recent = sign()(request);
    expect(await verify(request, recent)).toEqual({ ok: true });
    expect(await verify(request, recent)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    // Full: the oldest unexpired nonce is the one forgotten (the memory bound is the trade-off).
    const [a, b, c] = [sign()(request), sign()(request), sign()(request)];
    for (const header of [a, b, c]) expect(await verify(request, header)).toEqual({ ok: true });
    expect(await verify(request, c)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    expect(await verify(request, a)).toEqual({ ok: true });
  });

  it('accepts any of several secrets during a rotation, and only those', async () => {
    const { verify, sign } = setup({ secrets: parseSigningSecrets(`${OTHER}, ${SECRET}`) });
    expect(await verify(request, sign(OTHER)(request))).toEqual({ ok: true });
    expect(await verify(request, sign(SECRET)(request))).toEqual({ ok: true });
    expect(await verify(request, sign('a-third-secret-nobody-configured-here')(request))).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_INVALID });
  });

  it('refuses a request without a signature (REQUEST_SIGNATURE_MISSING)', async () => {
    const { verify } = setup();
    expect(await verify(request, undefined)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_MISSING });
    expect(await verify(request, '')).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_MISSING });
  });

  it.each([
    ['garbage', 'not-a-signature'],
    ['no timestamp', 'n=0123456789abcdef0123,v1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a non-numeric timestamp', 't=soon,n=0123456789abcdef0123,v1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a short nonce', `t=${T0 / 1000},n=abc,v1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`],
    ['an unknown version', `t=${T0 / 1000},n=0123456789abcdef0123,v2=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`],
    ['a truncated signature', `t=${T0 / 1000},n=0123456789abcdef0123,v1=AAAA`],
    ['extra fields', `t=${T0 / 1000},n=0123456789abcdef0123,v1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,x=1`],
  ])('refuses a header with %s (REQUEST_SIGNATURE_MALFORMED)', async (_what, header) => {
    const { verify } = setup();
    expect(await verify(request, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_MALFORMED });
  });

  it('with a shared nonce store, a request one verifier accepted is a replay for another', async () => {
    const claims: { nonce: string; ttlMs: number }[] = [];
    const remembered = new Set<string>();
    const shared: NonceStore = {
      async claim(nonce, ttlMs) {
        claims.push({ nonce, ttlMs });
        if (remembered.has(nonce)) return false;
        remembered.add(nonce);
        return true;
      },
    };
    const clock = { now: T0 };
    const [one, two] = [0, 1].map(() => createRequestVerifier({ secrets: [SECRET], now: () => clock.now, toleranceMs: 30_000, nonceStore: shared }));
    const header = createRequestSigner(SECRET, () => clock.now)(request);
    expect(await one!(request, header)).toEqual({ ok: true });
    expect(await two!(request, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    expect(await one!(request, header)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_REPLAYED });
    // Kept for the timestamp's whole window, and as much again for replicas whose clocks lag.
    expect(claims.map((c) => c.ttlMs)).toEqual([60_000, 60_000, 60_000]);
    // Only valid signatures reach the store: forged nonces cannot fill it.
    const forged = createRequestSigner(OTHER, () => clock.now)(request);
    expect(await two!(request, forged)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_INVALID });
    expect(await two!(request, undefined)).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_MISSING });
    expect(claims).toHaveLength(3);
  });

  it('rejects (fails closed) when the nonce store cannot answer', async () => {
    const down: NonceStore = { claim: () => Promise.reject(new Error('connection refused')) };
    const verify = createRequestVerifier({ secrets: [SECRET], nonceStore: down });
    await expect(verify(request, createRequestSigner(SECRET)(request))).rejects.toThrow('connection refused');
    // A refused signature does not need the store: still a plain refusal.
    expect(await verify(request, createRequestSigner(OTHER)(request))).toMatchObject({ ok: false, code: ErrorCode.REQUEST_SIGNATURE_INVALID });
  });

  it('parses comma-separated secrets, ignoring blanks', async () => {
    expect(parseSigningSecrets(' a , b,,')).toEqual(['a', 'b']);
    expect(parseSigningSecrets(undefined)).toEqual([]);
    expect(() => createRequestVerifier({ secrets: [] })).toThrow(/at least one/);
    expect(() => createRequestSigner('')).toThrow(/empty/);
  });
});
