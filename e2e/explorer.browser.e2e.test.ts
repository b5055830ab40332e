import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, newGuardedPage, screenshot, type GuardedPage } from './support/browser.ts';
import { startStack, type Stack } from './stack.ts';

// The router's self-hosted explorer (GraphiQL 5) in Debian's Chromium against the real
// `npm start`: every request that is not to loopback is aborted and recorded — there must be none.
let stack: Stack;
let browser: Browser;
let guarded: GuardedPage;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  guarded = await newGuardedPage(browser);
});
afterAll(async () => {
  if (guarded) await screenshot(guarded.page, 'explorer-end');
  await browser?.close();
  await stack?.stop();
});

describe('the explorer', () => {
  it('is announced by npm start and loads with nothing but loopback', async () => {
    expect(stack.output()).toContain(`Explorer           ${stack.explorerUrl}`);
    const { page } = guarded;
    await page.goto(stack.explorerUrl);
    await page.locator('.graphiql-container').waitFor();
    // The schema arrives by introspection (the doc explorer's button turns usable).
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).waitFor();
    // The editor (Monaco) is up and holds the default query.
    await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: 'products' }).waitFor();
  });

  it('runs a query and shows its query plan: which subgraphs, in which order, what in parallel', async () => {
    const { page } = guarded;
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain('"products"');
    expect(await page.locator('.graphiql-response').innerText()).not.toContain('"errors"');

    await page.getByRole('button', { name: 'Show Query plan' }).click();
    const plan = page.getByTestId('query-plan');
    await plan.locator('.plan-fetch').first().waitFor();
    expect(await plan.locator('.plan-summary').textContent()).toMatch(/^Products: \d+ fetch\(es\) from catalog, /);
    const subgraphs = await plan.locator('.plan-subgraph').allTextContents();
    expect(subgraphs[0]).toBe('catalog'); // products come first: every other fetch needs their keys
    expect(new Set(subgraphs)).toEqual(new Set(['catalog', 'inventory', 'reviews', 'accounts']));
    expect(await plan.locator('.plan-parallel').count()).toBeGreaterThan(0);
    expect(await plan.locator('.plan-sequence > li').count()).toBeGreaterThan(1);
    await plan.locator('details.plan-text summary').click();
    expect(await plan.locator('details.plan-text pre').textContent()).toMatch(/^QueryPlan \{\n {2}Sequence \{\n {4}Fetch\(service: "catalog"\)/);
    await screenshot(page, 'explorer-query-plan', { docsName: 'explorer' });
  });

  it('shows the docs for Product', async () => {
    const { page } = guarded;
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('[data-cy="doc-explorer-input"]').fill('Product');
    await page.locator('[data-cy="doc-explorer-option"]').getByText('Product', { exact: true }).first().click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.locator('.graphiql-doc-explorer-title').textContent()).toBe('Product');
    const text = await docs.textContent();
    expect(text).toContain('shippingEstimate');
    expect(text).toContain('Standard shipping for one unit');
    await screenshot(page, 'explorer-docs');
  });

  it('sends the JWT from the headers editor', async () => {
    const { page } = guarded;
    const logIn = await fetch(stack.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { logIn(email: "demo@store.example", password: "demo-password") { token } }' }),
    }).then((r) => r.json() as Promise<{ data: { logIn: { token: string } } }>);
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ authorization: `Bearer ${logIn.data.logIn.token}` }));
    const query = page.locator('.graphiql-query-editor .graphiql-editor').first();
    await query.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('query Me { me { email } }');
    await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: 'query Me' }).waitFor();
    await page.locator('.graphiql-editor-tool .view-lines').filter({ hasText: 'Bearer' }).waitFor();
    // GraphiQL picks the operation name up from the editor: run once the tab is called "Me".
    await page.locator('.graphiql-tab-button').filter({ hasText: /^Me$/ }).waitFor();
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain('demo@store.example');
  });

  it('needed nothing beyond loopback and threw no page errors', () => {
    expect(guarded.offLoopback).toEqual([]);
    expect(guarded.pageErrors).toEqual([]);
  });
});
