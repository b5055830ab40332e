import { describe, expect, it } from 'vitest';
import { NO_ANSWER, startFakeRouter } from '../src/fake-router.ts';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(300) });

describe('startFakeRouter', () => {
  it('records every request and answers with what the answer function returns', async () => {
    const router = await startFakeRouter(({ variables }) => ({ data: { echo: variables.id } }));
    try {
      const response = await post(router.url, { query: '{ echo }', variables: { id: 'a' } }, { authorization: 'Bearer t' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { echo: 'a' } });
      await post(router.url, { query: '{ echo }' });
      expect(router.requests).toEqual([
        { query: '{ echo }', variables: { id: 'a' }, authorization: 'Bearer t' },
        { query: '{ echo }', variables: {}, authorization: undefined },
      ]);
    } finally {
      await router.close();
    }
  });

  it('leaves a request hanging for NO_ANSWER, and fails it with 500 when the answer function throws', async () => {
    const router = await startFakeRouter(({ query }) => {
      if (query === 'hang') return NO_ANSWER;
      throw new Error('unexpected operation');
    });
    try {
      await expect(post(router.url, { query: 'hang' })).rejects.toThrow();
      const broken = await post(router.url, { query: 'other' });
      expect(broken.status).toBe(500);
      expect(await broken.text()).toBe('fake router: unexpected operation');
    } finally {
      await router.close();
    }
  });
});
