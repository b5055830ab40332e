import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, DEV_JWT_SECRET, scopesForRole } from '@store/core';
import { createPrismaClientOptions, DEMO, seedId } from '@store/db';
import { ADMIN, asIdentity, CUSTOMER, errorCodes, graphql, startSubgraphForTest, type GraphQLResponse, type TestSubgraph } from '@store/testkit';
import { PrismaClient } from '../generated/prisma/client.ts';
import { DEMO_ADMIN, DEMO_CUSTOMER, seedAccounts } from '../prisma/seed.ts';
import { INVALID_CREDENTIALS_MESSAGE } from '../src/errors.ts';
import { createAccountsSubgraph } from '../src/server.ts';

let subgraph: TestSubgraph;
let db: PrismaClient;

const seedDatabase = async (url: string) => {
  const client = new PrismaClient(createPrismaClientOptions(url));
  await seedAccounts(client);
  await client.$disconnect();
};

beforeAll(async () => {
  subgraph = await startSubgraphForTest('accounts', createAccountsSubgraph, seedDatabase);
  db = new PrismaClient(createPrismaClientOptions(subgraph.db.url));
});
afterAll(async () => {
  await db?.$disconnect();
  await subgraph?.stop();
});

/** Every response in this file goes through here: a password hash must never be in one. */
async function q(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>, url = subgraph.url) {
  const res = await graphql(url, query, variables, headers);
  expect(JSON.stringify(res)).not.toContain('scrypt$');
  return res;
}

const verifyDevToken = createTokenVerifier({ alg: 'HS256', secret: DEV_JWT_SECRET });
const ADMIN_ID = seedId('user', 1);
const DEMO_ID = seedId('user', 2);
const asAdmin = () => ADMIN(ADMIN_ID);
const USER_FIELDS = 'id email name role createdAt';
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token expiresAt user { ${USER_FIELDS} } } }`;
const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token expiresAt user { ${USER_FIELDS} } } }`;

const signUp = (input: Record<string, unknown>) => q(SIGN_UP, { input });
const logIn = (email: string, password: string) => q(LOG_IN, { email, password });

describe('seed', () => {
  it('creates DEMO.users users with deterministic ids, the admin first, and is idempotent', async () => {
    expect(await db.user.count({ where: { id: { in: Array.from({ length: DEMO.users }, (_, i) => seedId('user', i + 1)) } } })).toBe(DEMO.users);
    expect(await db.user.findUnique({ where: { id: ADMIN_ID } })).toMatchObject({ email: DEMO_ADMIN.email, name: 'Ada Admin', role: 'ADMIN' });
    expect(await db.user.findUnique({ where: { id: DEMO_ID } })).toMatchObject({ email: DEMO_CUSTOMER.email, name: 'Dana Demo', role: 'CUSTOMER' });
    expect(await db.user.findUnique({ where: { id: seedId('user', 60) } })).toMatchObject({ email: 'customer60@store.example', role: 'CUSTOMER' });
    expect(await seedAccounts(db)).toEqual({ created: 0 });
  });
});

describe('signUp and logIn', () => {
  it('signs up a customer and returns a verifiable token carrying sub, role and scopes', async () => {
    const before = Date.now();
    const res = await signUp({ email: '  New.Person@Example.COM ', name: '  Nia New  ', password: 'a good password' });
    expect(res.errors).toBeUndefined();
    const { token, expiresAt, user } = res.data!.signUp;
    expect(user).toMatchObject({ email: 'new.person@example.com', name: 'Nia New', role: 'CUSTOMER' });
    expect(new Date(user.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const expiry = new Date(expiresAt).getTime();
    expect(expiry).toBeGreaterThan(before + 3590_000);
    expect(expiry).toBeLessThan(Date.now() + 3610_000);
    expect(await verifyDevToken(token)).toEqual({ ok: true, identity: { sub: user.id, role: 'CUSTOMER', scopes: scopesForRole('CUSTOMER') } });
  });

  it('stores the email lowercased and only a scrypt hash of the password', async () => {
    const row = await db.user.findUniqueOrThrow({ where: { email: 'new.person@example.com' } });
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect(row.passwordHash).not.toContain('a good password');
  });

  it('logs in with the same credentials, in any letter case of the email', async () => {
    const res = await logIn('NEW.person@example.com', 'a good password');
    expect(res.errors).toBeUndefined();
    const { token, user } = res.data!.logIn;
    expect(user.email).toBe('new.person@example.com');
    const check = await verifyDevToken(token);
    expect(check).toEqual({ ok: true, identity: { sub: user.id, role: 'CUSTOMER', scopes: scopesForRole('CUSTOMER') } });
  });

  it('logs in the seeded admin with admin scopes, and the demo customer', async () => {
    const admin = await logIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
    expect(admin.data!.logIn.user).toMatchObject({ id: ADMIN_ID, role: 'ADMIN', email: DEMO_ADMIN.email });
    expect(await verifyDevToken(admin.data!.logIn.token)).toEqual({ ok: true, identity: { sub: ADMIN_ID, role: 'ADMIN', scopes: scopesForRole('ADMIN') } });
    const demo = await logIn(DEMO_CUSTOMER.email, DEMO_CUSTOMER.password);
    expect(demo.data!.logIn.user).toMatchObject({ id: DEMO_ID, role: 'CUSTOMER', name: 'Dana Demo' });
    const customer = await logIn('customer17@store.example', DEMO_CUSTOMER.password);
    expect(customer.data!.logIn.user.id).toBe(seedId('user', 17));
  });

  it('refuses a wrong password and an unknown email with the same UNAUTHENTICATED answer', async () => {
    const answers = await Promise.all([
      logIn(DEMO_CUSTOMER.email, 'wrong-password'),
      logIn('nobody@store.example', DEMO_CUSTOMER.password),
      logIn('not an email', 'whatever'),
    ]);
    for (const res of answers) {
      expect(res.data).toBeNull();
      expect(res.errors).toEqual([expect.objectContaining({ message: INVALID_CREDENTIALS_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } })]);
    }
  });
});

describe('signUp refusals write nothing', () => {
  const valid = { email: 'fresh@store.example', name: 'Fresh Face', password: 'long enough' };
  it.each([
    ['a malformed email', { email: 'fresh@store' }, 'BAD_USER_INPUT', 'input.email'],
    ['an email over 254 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(190)}.example` }, 'BAD_USER_INPUT', 'input.email'],
    ['a short password', { password: 'short' }, 'BAD_USER_INPUT', 'input.password'],
    ['a password over 200 characters', { password: 'p'.repeat(201) }, 'BAD_USER_INPUT', 'input.password'],
    ['an empty name', { name: '   ' }, 'BAD_USER_INPUT', 'input.name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'BAD_USER_INPUT', 'input.name'],
    ['a taken email', { email: DEMO_CUSTOMER.email }, 'CONFLICT', 'input.email'],
    ['a taken email in another letter case', { email: ' Demo@Store.EXAMPLE' }, 'CONFLICT', 'input.email'],
  ])('refuses %s with a stable code and field', async (_label, change, code, field) => {
    const before = await db.user.count();
    const res = await signUp({ ...valid, ...change });
    expect(errorCodes(res)).toEqual([code]);
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(res.data).toBeNull();
    expect(await db.user.count()).toBe(before);
  });

  it('lets exactly one of concurrent sign-ups for the same email through (the unique index decides)', async () => {
    const before = await db.user.count();
    const answers = await Promise.all(['race@store.example', 'Race@store.example', 'RACE@store.example'].map((email) => signUp({ ...valid, email })));
    expect(answers.filter((r) => !r.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes)).toEqual(['CONFLICT', 'CONFLICT']);
    expect(await db.user.count()).toBe(before + 1);
  });
});

describe('queries and access rules', () => {
  it('me is null for anonymous callers and the caller otherwise, with their own email', async () => {
    expect(await q(`{ me { id } }`)).toMatchObject({ data: { me: null } });
    const res = await q(`{ me { ${USER_FIELDS} } }`, {}, CUSTOMER(DEMO_ID));
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toMatchObject({ id: DEMO_ID, email: DEMO_CUSTOMER.email, role: 'CUSTOMER' });
    // A service identity is not a user.
    expect((await q(`{ me { id } }`, {}, asIdentity({ sub: 'service:reviews', role: 'SERVICE' }))).data!.me).toBeNull();
  });

  it('user(id) finds a user, and answers null for unknown or malformed ids', async () => {
    const res = await q('query($id: ID!) { user(id: $id) { id name role createdAt } }', { id: ADMIN_ID });
    expect(res.data!.user).toMatchObject({ id: ADMIN_ID, name: 'Ada Admin', role: 'ADMIN' });
    expect(new Date(res.data!.user.createdAt).toISOString()).toBe(res.data!.user.createdAt);
    for (const id of ['00000000-0000-4000-8000-00000000abcd', 'not-a-uuid', '']) {
      const missing = await q('query($id: ID!) { user(id: $id) { id } }', { id });
      expect(missing).toMatchObject({ data: { user: null } });
      expect(missing.errors).toBeUndefined();
    }
  });

  it("hides another user's email from customers and anonymous callers with FORBIDDEN on that field", async () => {
    for (const headers of [CUSTOMER(DEMO_ID), {}]) {
      const res = await q('query($id: ID!) { user(id: $id) { id name email } }', { id: ADMIN_ID }, headers);
      expect(res.data!.user).toEqual({ id: ADMIN_ID, name: 'Ada Admin', email: null });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors![0]!.path).toEqual(['user', 'email']);
    }
  });

  it('shows a user their own email and an admin every email', async () => {
    const own = await q('query($id: ID!) { user(id: $id) { email } }', { id: DEMO_ID }, CUSTOMER(DEMO_ID));
    expect(own).toMatchObject({ data: { user: { email: DEMO_CUSTOMER.email } } });
    expect(own.errors).toBeUndefined();
    const byAdmin = await q('query($id: ID!) { user(id: $id) { email } }', { id: DEMO_ID }, asAdmin());
    expect(byAdmin).toMatchObject({ data: { user: { email: DEMO_CUSTOMER.email } } });
    expect(byAdmin.errors).toBeUndefined();
  });

  it('users is for admins: UNAUTHENTICATED when anonymous, FORBIDDEN for customers', async () => {
    expect(errorCodes(await q('{ users { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await q('{ users { totalCount } }', {}, CUSTOMER(DEMO_ID)))).toEqual(['FORBIDDEN']);
  });

  it('pages an admin through every user in sign-up order, without gaps or repeats, emails included', async () => {
    const seen: { id: string; email: string; createdAt: string }[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const res: GraphQLResponse = await q(
        'query($after: String) { users(first: 7, after: $after) { totalCount edges { cursor node { id email createdAt } } pageInfo { hasNextPage endCursor } } }',
        { after },
        asAdmin(),
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.users;
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
    }
    expect(total).toBe(await db.user.count());
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((u) => u.id)).size).toBe(total);
    expect(seen[0]!.id).toBe(ADMIN_ID);
    expect(seen.every((u) => u.email.includes('@'))).toBe(true);
    const times = seen.map((u) => u.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('rejects a page size over 100 and a forged cursor', async () => {
    expect(errorCodes(await q('{ users(first: 101) { totalCount } }', {}, asAdmin()))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await q('{ users(after: "Zm9v") { totalCount } }', {}, asAdmin()))).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from('c:yesterday|not-a-uuid').toString('base64url');
    expect(errorCodes(await q('query($after: String) { users(after: $after) { totalCount } }', { after: forged }, asAdmin()))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('_entities', () => {
  it('resolves User references in one batch, in order, with null for unknown and malformed ids', async () => {
    const representations = [
      { __typename: 'User', id: seedId('user', 3) },
      { __typename: 'User', id: ADMIN_ID },
      { __typename: 'User', id: '00000000-0000-4000-8000-000000000000' },
      { __typename: 'User', id: 'nope' },
      { __typename: 'User', id: seedId('user', 3) },
    ];
    const res = await q('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name role } } }', { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((u: any) => u?.id ?? null)).toEqual([seedId('user', 3), ADMIN_ID, null, null, seedId('user', 3)]);
    expect(res.data!._entities[1]).toMatchObject({ name: 'Ada Admin', role: 'ADMIN' });
  });

  it('applies the email rule to entity references too', async () => {
    const r = [{ __typename: 'User', id: ADMIN_ID }, { __typename: 'User', id: DEMO_ID }];
    const res = await q('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }', { r }, CUSTOMER(DEMO_ID));
    expect(res.data!._entities).toEqual([{ email: null }, { email: DEMO_CUSTOMER.email }]);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.path).toEqual(['_entities', 0, 'email']);
  });
});

describe('the password hash never leaves the subgraph', () => {
  it('no type in the schema has a password field', async () => {
    const res = await q('{ __schema { types { name fields { name } inputFields { name } } } }');
    const names = res.data!.__schema.types.flatMap((t: any) => [...(t.fields ?? []), ...(t.inputFields ?? [])].map((f: any) => `${t.name}.${f.name}`));
    expect(names.filter((n: string) => /password/i.test(n))).toEqual(['SignUpInput.password']);
    const userFields = res.data!.__schema.types.find((t: any) => t.name === 'User').fields.map((f: any) => f.name);
    expect(userFields.sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role']);
  });
});

describe('RS256 signing and a custom TTL', () => {
  it('issues tokens that verify with the public key and expire after tokenTtlSeconds', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const rs = await startSubgraphForTest(
      'accounts',
      (options) => createAccountsSubgraph({ ...options, signingKey: { alg: 'RS256', privateKeyPem: privateKey, keyId: 'test-key' }, tokenTtlSeconds: 120 }),
      seedDatabase,
    );
    try {
      const res = await q(LOG_IN, { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password }, {}, rs.url);
      const { token, expiresAt } = res.data!.logIn;
      expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: 'test-key' });
      expect(await createTokenVerifier({ alg: 'RS256', publicKeyPem: publicKey })(token)).toMatchObject({ ok: true, identity: { sub: ADMIN_ID, role: 'ADMIN' } });
      expect((await verifyDevToken(token)).ok).toBe(false);
      expect(Math.abs(new Date(expiresAt).getTime() - (Date.now() + 120_000))).toBeLessThan(5_000);
    } finally {
      await rs.stop();
    }
  });
});
