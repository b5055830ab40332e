// Bad input: the real `schema:check` command exits 2, naming the file (and line) at fault, with
// nothing on stdout. More malformed inputs in process (same CheckInputError, no start-up each).
import { afterAll, describe, expect, it } from 'vitest';
import { CheckInputError } from '../src/errors.ts';
import { check, checkInProcess, fixtureStore, makeRepo, removeScratch } from './support.ts';

afterAll(removeScratch);

describe.concurrent('schema:check could not run', () => {
  it('unparseable SDL in the working tree names the file, line and column', async () => {
    const after = { ...fixtureStore(), reviews: 'type Query {\n  review(id: ID!): Review\n  oops(\n}\n' };
    const { status, stdout, stderr } = await check(makeRepo({ after }));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/subgraphs\/reviews\/schema\.graphql:4:1: Syntax Error/);
  });

  it('an unknown git ref', async () => {
    const { status, stdout, stderr } = await check(makeRepo(), '--base', 'no-such-branch');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown git ref "no-such-branch"/);
  });

  it('approvals.yaml that is not YAML names the file and line', async () => {
    const broken = 'approvals:\n  - id: FIELD_REMOVED:Product.name\n    reason: fine\n    reason: twice\n    author: x\n';
    const { status, stderr } = await check(makeRepo({ working: { 'schema/approvals.yaml': broken } }));
    expect(status).toBe(2);
    expect(stderr).toMatch(/schema\/approvals\.yaml:4:5: invalid YAML: Map keys must be unique/);
  });
});

describe.concurrent('schema:check input errors (in process)', () => {
  it('unparseable SDL at the base commit names the ref, file and line', async () => {
    const before = { ...fixtureStore(), reviews: 'type Query {\n  review: Int\n  }}\n' };
    await expect(checkInProcess(makeRepo({ before, after: fixtureStore() }))).rejects.toThrow(/^HEAD:subgraphs\/reviews\/schema\.graphql:3:4: Syntax Error/);
  });

  it('every input error is a CheckInputError (exit 2)', async () => {
    await expect(checkInProcess(makeRepo(), { base: { kind: 'version', version: 7 } })).rejects.toBeInstanceOf(CheckInputError);
  });

  it('an approval without an expiry names the file and the entry line', async () => {
    const incomplete = '# approvals\napprovals:\n  - id: FIELD_REMOVED:Product.name\n    reason: fine\n    author: me\n  - id: FIELD_REMOVED:User.email\n    reason: fine\n    author: me\n';
    await expect(checkInProcess(makeRepo({ working: { 'schema/approvals.yaml': incomplete } }))).rejects.toThrow(/schema\/approvals\.yaml:3:5: approvals\.0\.expires: /);
  });

  it('an unknown key in checks.yaml names the file and line', async () => {
    await expect(checkInProcess(makeRepo({ committed: { 'schema/checks.yaml': 'policy:\n  additions: safe\n  usageWindow: 7\n' } }))).rejects.toThrow(/schema\/checks\.yaml:2:3: policy: Unrecognized key: "usageWindow"/);
  });

  it('a malformed usage-log line names the file and line', async () => {
    const repo = makeRepo({ working: { 'usage.ndjson': '{"hash":"a","coordinates":["Query.me"],"count":1,"lastSeen":"2026-11-20T00:00:00Z"}\n{"hash":"b","coordinates":"Query.me","lastSeen":"2026-11-20T00:00:00Z"}\n' } });
    await expect(checkInProcess(repo, { usagePaths: [`${repo}/usage.ndjson`] })).rejects.toThrow(/usage\.ndjson:2: coordinates: /);
  });
});
