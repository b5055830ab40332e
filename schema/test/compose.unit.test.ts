import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the real `npm run compose` entry point on scratch subgraph folders.
const repoRoot = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'store-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])\n';

function tree(subgraphs: Record<string, string>): { root: string; out: string } {
  const root = mkdtempSync(join(scratch, 'tree-'));
  for (const [name, sdl] of Object.entries(subgraphs)) {
    mkdirSync(join(root, 'subgraphs', name), { recursive: true });
    writeFileSync(join(root, 'subgraphs', name, 'schema.graphql'), sdl);
  }
  mkdirSync(join(root, 'out'));
  return { root: join(root, 'subgraphs'), out: join(root, 'out') };
}

function compose(t: { root: string; out: string }, ...extra: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'schema/src/compose-cli.ts', '--subgraphs', t.root, '--out', t.out, ...extra], { cwd: repoRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const users = LINK + 'type Query { me: User }\ntype User @key(fields: "id") { id: ID! name: String! secret: String }\n';
const posts = LINK + 'type Query { posts: [Post!]! }\ntype Post { id: ID! author: User! }\ntype User @key(fields: "id") { id: ID! posts: [Post!]! }\n';

describe('npm run compose', () => {
  it('writes the supergraph and the API schema, discovering subgraphs by folder', () => {
    const t = tree({ users, posts });
    const result = compose(t);
    expect(result.status).toBe(0);
    const supergraph = readFileSync(join(t.out, 'supergraph.graphql'), 'utf8');
    const api = readFileSync(join(t.out, 'api.graphql'), 'utf8');
    expect(supergraph).toContain('join__Graph');
    expect(supergraph).toMatch(/USERS @join__graph\(name: "users"/);
    expect(api).toContain('posts: [Post!]!');
    expect(api).not.toContain('join__');
    expect(api).not.toContain('_entities');
    expect(compose(t, '--check').status).toBe(0);
  });

  it('keeps @inaccessible fields out of the API schema', () => {
    const hidden = LINK.replace('"@shareable"]', '"@shareable", "@inaccessible"]') + 'type Query { me: User }\ntype User @key(fields: "id") { id: ID! name: String! secret: String @inaccessible }\n';
    const t = tree({ users: hidden, posts });
    expect(compose(t).status).toBe(0);
    expect(readFileSync(join(t.out, 'api.graphql'), 'utf8')).not.toContain('secret');
    expect(readFileSync(join(t.out, 'supergraph.graphql'), 'utf8')).toContain('secret');
  });

  it('fails with code, subgraphs and coordinates, and writes nothing', () => {
    const t = tree({ users, posts: posts.replace('type User @key(fields: "id") { id: ID! posts', 'type User @key(fields: "id") { id: ID! name: Int! posts') });
    const result = compose(t);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/FIELD_TYPE_MISMATCH \[posts, users\] at User\.name/);
    expect(() => readFileSync(join(t.out, 'supergraph.graphql'))).toThrow();
  });

  it('exits 2 naming the file and line of unparseable SDL', () => {
    const t = tree({ users, posts: 'type Query {\n  posts: [Post!\n}\n' });
    const result = compose(t);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(join('posts', 'schema.graphql'));
    expect(result.stderr).toMatch(/Syntax Error/);
    expect(result.stderr).toContain("schema.graphql:3:1");
  });

  it('--check fails when the committed files are stale', () => {
    const t = tree({ users, posts });
    expect(compose(t).status).toBe(0);
    writeFileSync(join(t.root, 'users', 'schema.graphql'), users.replace('name: String!', 'name: String! nickname: String'));
    const result = compose(t, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/stale: .*supergraph\.graphql/);
  });
});
