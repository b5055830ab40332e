import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newGuardedPage, screenshot, type GuardedPage } from './support/browser.ts';
import { startStack, type Stack } from './stack.ts';

// The storefront (clients/web) as a shopper uses it, in Debian's Chromium, against the real
// `npm start`: the launcher serves the built app and the app talks only to the router.
let stack: Stack;
let browser: Browser;
let guarded: GuardedPage;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});
// Each test gets a fresh browser context (no cookies, storage or cart from another test).
beforeEach(async () => {
  guarded = await newGuardedPage(browser);
  page = guarded.page;
});
afterEach(async ({ task }) => {
  // Every test's last view, to look at when it failed.
  await screenshot(page, `end-of-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
  await page.context().close();
  // The app needs nothing beyond this machine, and no page threw.
  expect(guarded.offLoopback).toEqual([]);
  expect(guarded.pageErrors).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const newShopper = (label: string) => ({
  name: `Browser ${label}`,
  email: `browser-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
  password: 'correct horse battery',
});

/** Signs up through the storefront's form, from the page the user is on (and comes back to it). */
async function signUp(shopper: ReturnType<typeof newShopper>) {
  await page.getByRole('link', { name: 'Log in' }).first().click();
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Name').fill(shopper.name);
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Password').fill(shopper.password);
  await page.getByRole('button', { name: 'Sign up' }).last().click();
  await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe(shopper.name);
}
const APPROVED_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';

async function openFirstInStockProduct(): Promise<string> {
  const card = page.getByTestId('product-card').filter({ hasText: 'In stock' }).first();
  const name = (await card.locator('.product-name').textContent())!;
  await card.getByRole('link').click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
  return name;
}

async function payWith(cardNumber: string) {
  await page.getByTestId('cart-link').click();
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: /place order and pay|^pay /i }).click();
  await page.getByTestId('checkout-result').waitFor();
}

describe('the storefront', () => {
  it('is served by npm start, which prints its URL', () => {
    expect(stack.output()).toContain(`Storefront         ${stack.storefrontUrl}`);
  });

  it('lists products, filters by category, searches and pages with cursors', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('result-count').textContent()).toMatch(/^240 products/);
    await screenshot(page, 'storefront-products', { docsName: 'storefront' });

    const firstPage = await page.locator('.product-name').allTextContents();
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('.product-name').first().textContent()).not.toBe(firstPage[0]);
    expect(await page.getByTestId('result-count').textContent()).toContain('page 2');
    const secondPage = await page.locator('.product-name').allTextContents();
    expect(secondPage).toHaveLength(firstPage.length);
    expect(secondPage.some((n) => firstPage.includes(n))).toBe(false);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => page.locator('.product-name').allTextContents()).toEqual(firstPage);

    const category = page.getByLabel('Category');
    const option = category.locator('option').nth(1);
    const categoryName = (await option.textContent())!;
    await category.selectOption({ label: categoryName });
    await expect.poll(() => page.getByTestId('result-count').textContent()).not.toMatch(/^240 /);
    const categories = await page.getByTestId('product-card').locator('.muted').allTextContents();
    expect(categories.length).toBeGreaterThan(0);
    for (const text of categories) expect(text.startsWith(`${categoryName} ·`)).toBe(true);

    await page.getByLabel('Search products').fill('Atlas');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(async () => (await page.locator('.product-name').allTextContents()).every((n) => n.includes('Atlas'))).toBe(true);
    await page.getByLabel('Search products').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).not.toMatch(/^0 /);
  });

  it('shows a product with price, stock, shipping estimate and reviews with their authors', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    await openFirstInStockProduct();
    expect(await page.getByTestId('price').textContent()).toMatch(/^\$\d+\.\d\d$/);
    expect(await page.getByTestId('stock').textContent()).toMatch(/^\d+ available$/);
    expect(await page.getByTestId('shipping').textContent()).toMatch(/^(Free shipping|\$\d+\.\d\d standard shipping)$/);
    await page.getByRole('heading', { name: 'Reviews' }).waitFor();
    const authors = await page.getByTestId('review').locator('.review-author').allTextContents();
    for (const author of authors) expect(author.trim()).not.toBe('');
    await screenshot(page, 'storefront-product');
  });

  it('signs up, adds to the cart, checks out with the approved card and sees the order paid', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    await page.getByLabel('Category').selectOption({ index: 2 });
    await expect.poll(() => page.getByTestId('result-count').textContent()).not.toMatch(/^240 /);
    const productName = await openFirstInStockProduct();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    expect(await page.getByTestId('cart-link').textContent()).toBe('Cart (2)');

    await signUp(newShopper('approved'));

    await payWith(APPROVED_CARD);
    expect(await page.getByTestId('checkout-result').textContent()).toMatch(/payment approved/i);
    expect(await page.getByTestId('cart-link').textContent()).toBe('Cart (0)');

    await page.getByRole('link', { name: 'My orders' }).first().click();
    const order = page.getByTestId('order').first();
    await order.waitFor();
    expect(await order.getByTestId('order-status').textContent()).toBe('PAID');
    expect(await order.getByTestId('payment-status').textContent()).toMatch(/^Payment approved \(Visa ···· 4242\)/);
    expect(await order.textContent()).toContain(`2 × ${productName}`);
    await screenshot(page, 'storefront-order-paid');
  });

  it('says clearly when the card is declined and leaves the order unpaid', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    await openFirstInStockProduct();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await signUp(newShopper('declined'));
    await payWith(DECLINED_CARD);
    const result = page.getByTestId('checkout-result');
    expect(await result.getAttribute('role')).toBe('alert');
    expect(await result.textContent()).toMatch(/Payment declined: the card was declined by its bank\. Nothing was charged\..*placed but not paid/);
    await screenshot(page, 'storefront-declined');

    await page.getByRole('link', { name: 'My orders' }).first().click();
    const orders = page.getByTestId('order');
    await expect.poll(() => orders.count()).toBe(1);
    const newest = orders.first();
    expect(await newest.getByTestId('order-status').textContent()).toBe('PENDING');
    expect(await newest.getByTestId('payment-status').textContent()).toMatch(/^Payment declined/);
  });

  it('publishes a review written by the signed-in shopper', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    await openFirstInStockProduct();
    const shopper = newShopper('reviewer');
    await signUp(shopper);
    const body = `Tried it in a real browser (${Date.now()}).`;
    await page.getByLabel('Rating').selectOption('4');
    await page.getByLabel('Review', { exact: true }).fill(body);
    await page.getByRole('button', { name: 'Publish review' }).click();
    await page.getByText('Thank you — your review is published.').waitFor();
    const mine = page.getByTestId('review').filter({ hasText: body });
    await mine.waitFor();
    expect(await mine.locator('.review-author').textContent()).toBe(shopper.name);
  });

  it('shows partial data and a message when a subgraph is down', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('product-card').first().waitFor();
    await openFirstInStockProduct();
    const productUrl = page.url();
    // A paused process accepts connections and never answers: the router gives up after its
    // subgraph timeout (10 s) and answers the rest.
    const reviews = stack.subgraphPid('reviews');
    process.kill(reviews, 'SIGSTOP');
    try {
      await page.goto(productUrl);
      // The first notice, partial or not: a router that answers no data (e.g. 504 at its request
      // deadline) fails here with the page's message instead of a bare test timeout.
      const notice = page.getByRole('alert').first();
      await notice.waitFor({ timeout: 45_000 });
      expect(await notice.textContent()).toContain('The reviews service did not answer in time.');
      expect(await notice.getAttribute('data-testid')).toBe('partial-notice');
      expect(await page.getByTestId('price').textContent()).toMatch(/^\$\d+\.\d\d$/);
      await page.getByText('Reviews are unavailable right now.').waitFor();
      await screenshot(page, 'storefront-partial');
    } finally {
      process.kill(reviews, 'SIGCONT');
    }
  });
});
