import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMalformedCorpus, CATEGORIES, HEALTH_DATA, HEALTH_QUERY, PRIMED_OPERATIONS, type MalformedCase } from './fixtures/malformed/corpus.ts';
import { DEFAULT_PROFILE, STRICT_PROFILE, type RouterProfile } from './fixtures/malformed/profiles.ts';
import { sendRaw, type RawOutcome } from './fixtures/malformed/raw-http.ts';
import { startShopSubgraph } from './fixtures/malformed/shop-subgraph.ts';
import { spawnRouter, type SpawnedRouter } from './support/spawn-router.ts';
import { composeSupergraph, createGate, startAccountsSubgraph, startPostsSubgraph, type TestSubgraph } from './support/test-graph.ts';

/**
 * Replays a corpus of malformed and hostile requests (fixtures/malformed/corpus.ts) through the
 * real router entry point, as a child process so a crash is visible, in front of small real
 * subgraphs. Every answer must be a refusal a client can act on — a 4xx, or a 200 whose every
 * error has a message and a code — never a 5xx, a hang or a dead router; and a normal query must
 * still answer correctly after each category.
 */

/** Every (status, code) pair the router may answer the corpus with. A new one fails the test. */
const KNOWN_ANSWERS = new Set([
  '200 data', // only for cases that declare why they may be answered (mayAnswer)
  '200 GRAPHQL_VALIDATION_FAILED',
  '200 BAD_USER_INPUT',
  '200 PERSISTED_QUERY_NOT_FOUND', // Apollo's APQ protocol: the client then sends the document
  '204 -', // CORS preflight, without allow-origin for a foreign origin (checked by the case)
  '400 BAD_REQUEST',
  '400 GRAPHQL_PARSE_FAILED',
  '400 GRAPHQL_VALIDATION_FAILED',
  '400 BAD_USER_INPUT',
  '400 PERSISTED_QUERY_NOT_FOUND',
  '400 PERSISTED_QUERY_NOT_SUPPORTED',
  '400 OPERATION_RESOLUTION_FAILURE',
  '400 -', // Node's HTTP parser refusing the request line or headers, before the router sees it
  '400 COST_ESTIMATED_TOO_EXPENSIVE',
  '401 UNAUTHENTICATED',
  '403 PERSISTED_QUERY_NOT_IN_LIST',
  '404 NOT_FOUND',
  '405 BAD_REQUEST', // Apollo Server: a method other than GET/POST, or a mutation over GET
  '406 BAD_REQUEST', // Apollo Server: an accept header it cannot answer
  '413 PAYLOAD_TOO_LARGE',
  '415 UNSUPPORTED_MEDIA_TYPE',
  '429 RATE_LIMITED',
  '431 -', // Node's HTTP parser: headers over its size limit
  'reset', // only for cases that declare why (mayReset): Node itself refused the headers
]);

const REQUEST_TIMEOUT_MS = 30_000;

interface Answer {
  case: MalformedCase;
  /** `"<status> <code>"` per distinct error code (`data` for an answer without errors). */
  signatures: string[];
  /** What is wrong with the answer; empty when it is an acceptable refusal. */
  problems: string[];
}

/** Judges one outcome: the whole contract of the corpus is here. */
function judge(c: MalformedCase, outcome: RawOutcome): Answer {
  const answer: Answer = { case: c, signatures: [], problems: [] };
  if (outcome.kind === 'timeout') return { ...answer, problems: [`no answer within ${REQUEST_TIMEOUT_MS} ms`] };
  if (outcome.kind === 'no-response') {
    return { ...answer, signatures: ['reset'], problems: c.mayReset ? [] : [`connection ended without an answer (${outcome.reason})`] };
  }
  const { status, body, headers } = outcome.response;
  if (status >= 500) answer.problems.push(`${status} server error: ${body.slice(0, 300)}`);
  else if (status < 200 || (status >= 300 && status < 400)) answer.problems.push(`unexpected status ${status}`);
  let parsed: { data?: unknown; errors?: unknown } | undefined;
  if (body !== '') {
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      answer.problems.push(`${status} answer is not JSON: ${body.slice(0, 120)}`);
    }
    if (parsed !== undefined && !/^application\/(graphql-response\+)?json/.test(headers['content-type'] ?? '')) {
      answer.problems.push(`JSON answered as ${headers['content-type']}`);
    }
  }
  const errors = parsed?.errors;
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0) answer.problems.push('`errors` is not a non-empty array');
    else {
      const codes = new Set<string>();
      for (const error of errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
        if (typeof error?.message !== 'string' || error.message === '') answer.problems.push(`an error without a message: ${JSON.stringify(error).slice(0, 120)}`);
        const code = error?.extensions?.code;
        if (typeof code !== 'string') answer.problems.push(`an error without extensions.code: ${JSON.stringify(error).slice(0, 120)}`);
        else codes.add(code);
      }
      answer.signatures.push(...[...codes].map((code) => `${status} ${code}`));
    }
  } else if (status === 200) {
    answer.signatures.push('200 data');
    if (c.mayAnswer === undefined) answer.problems.push('answered with data a request that must be refused');
    else if (typeof parsed?.data !== 'object' || parsed.data === null) answer.problems.push('200 without errors and without data');
  } else if (body === '' || c.request.method === 'HEAD') {
    answer.signatures.push(`${status} -`);
  } else {
    answer.problems.push(`${status} answer without a GraphQL errors array: ${body.slice(0, 120)}`);
  }
  const verified = outcome.response && c.verify && status === 200 ? c.verify(outcome.response) : undefined;
  if (verified) answer.problems.push(verified);
  for (const signature of answer.signatures) if (!KNOWN_ANSWERS.has(signature)) answer.problems.push(`unknown kind of answer "${signature}"`);
  return answer;
}

const describeProblems = (answers: Answer[]) =>
  answers.filter((a) => a.problems.length > 0).map((a) => `[${a.case.category}] ${a.case.name}: ${a.problems.join('; ')}`);

describe.each([DEFAULT_PROFILE, STRICT_PROFILE])('malformed corpus against the router with $name configuration', (profile: RouterProfile) => {
  const subgraphs: TestSubgraph[] = [];
  let dir: string;
  let router: SpawnedRouter;
  let url: string;
  let port: number;
  const corpus = buildMalformedCorpus(profile);
  const answers: Answer[] = [];

  beforeAll(async () => {
    subgraphs.push(await startAccountsSubgraph(), await startPostsSubgraph(() => createGate()), await startShopSubgraph());
    dir = await mkdtemp(join(tmpdir(), 'malformed-corpus-'));
    const file = join(dir, 'supergraph.graphql');
    await writeFile(file, composeSupergraph(subgraphs));
    router = spawnRouter(['--supergraph', file, '--port', '0'], profile.env);
    url = await router.ready;
    port = Number(new URL(url).port);
    // Each document once, validly: later broken variables for it take the router's fast path.
    for (const operation of PRIMED_OPERATIONS) {
      for (let i = 0; i < 2; i++) expect((await postJson(operation)).errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    if (router && router.child.exitCode === null) {
      router.child.kill('SIGTERM');
      await router.exited;
    }
    for (const subgraph of subgraphs.reverse()) await subgraph.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const postJson = async (body: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, ...((await response.json()) as { data?: unknown; errors?: unknown }) };
  };
  const expectAliveAndCorrect = async (after: string) => {
    expect(router.child.exitCode, `router exited after ${after}:\n${router.stderr()}`).toBeNull();
    expect(await postJson({ query: HEALTH_QUERY }), `normal query after ${after}`).toEqual({ status: 200, data: HEALTH_DATA });
  };

  it(`holds at least 200 distinct cases in every category`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((c) => `${c.category}: ${c.name}`)).size).toBe(corpus.length);
    for (const category of CATEGORIES) expect(corpus.filter((c) => c.category === category).length, category).toBeGreaterThanOrEqual(2);
  });

  it('refuses every case precisely, one at a time, and keeps answering normal queries', { timeout: 600_000 }, async () => {
    for (const category of CATEGORIES) {
      for (const c of corpus.filter((k) => k.category === category)) answers.push(judge(c, await sendRaw(port, c.request, REQUEST_TIMEOUT_MS)));
      await expectAliveAndCorrect(`category ${category}`);
    }
    if (process.env.MALFORMED_CORPUS_REPORT) {
      const table = answers.map((a) => `${a.case.category}\t${a.case.name}\t${a.signatures.join(',')}\t${a.problems.join('; ')}`);
      await writeFile(`${process.env.MALFORMED_CORPUS_REPORT}.${profile.name}.tsv`, `${table.join('\n')}\n`);
    }
    expect(describeProblems(answers)).toEqual([]);
    expect(answers.length).toBe(corpus.length);
  });

  it('refuses the corpus sent concurrently, interleaved with normal queries', { timeout: 600_000 }, async () => {
    // The small, fast cases: the big ones already ran one at a time.
    const batch = corpus.filter((c) => (c.request.body?.length ?? 0) + (c.request.chunks?.length ?? 0) < 64 * 1024);
    expect(batch.length).toBeGreaterThan(150);
    const concurrent: Answer[] = [];
    const healthy: boolean[] = [];
    const queue = [...batch];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        concurrent.push(judge(c, await sendRaw(port, c.request, REQUEST_TIMEOUT_MS)));
        if (concurrent.length % 10 === 0) {
          const res = await postJson({ query: HEALTH_QUERY });
          healthy.push(res.status === 200 && JSON.stringify(res.data) === JSON.stringify(HEALTH_DATA) && res.errors === undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(describeProblems(concurrent)).toEqual([]);
    expect(healthy.length).toBeGreaterThan(10);
    expect(healthy.every(Boolean)).toBe(true);
    await expectAliveAndCorrect('the concurrent run');
  });

  it('answered only with known kinds of answers, and never a server error', () => {
    const seen = new Set(answers.flatMap((a) => a.signatures));
    expect([...seen].filter((s) => !KNOWN_ANSWERS.has(s))).toEqual([]);
    expect([...seen].some((s) => s.startsWith('5'))).toBe(false);
    expect(router.child.exitCode).toBeNull();
  });
});
