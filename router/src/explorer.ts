import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '@store/core';

/** Where `npm run build:explorer` (and `npm start`) writes the explorer (`router/explorer/`). */
export const DEFAULT_EXPLORER_ASSETS_DIR = fileURLToPath(new URL('../explorer/dist/', import.meta.url));
export const EXPLORER_PATH = '/explorer';

export interface ExplorerOptions {
  /** The built explorer: `index.html` and `assets/`. Default `router/explorer/dist`. */
  assetsDir?: string;
  /** Also answer a browser's `GET /graphql` (Accept: text/html, no query) with the explorer. */
  onGraphqlGet?: boolean;
  /** Tell the page that responses carry `extensions.queryPlan` when asked (development). */
  queryPlans?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Only this origin: every script, style, font and worker is one of the explorer's own files, and
 * the page talks to this router alone. Inline styles are what GraphiQL's editor (Monaco) uses.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The explorer's answer when it was not built: what to run, instead of a bare 404. */
export const EXPLORER_NOT_BUILT_MESSAGE = 'The explorer is not built. Run `npm run build:explorer` (`npm start` builds it).';

/**
 * Serves the self-hosted GraphiQL built from `router/explorer/` (every asset comes from this
 * router: it works with no internet): `GET /explorer` (the page, with its settings in a JSON
 * script tag), `GET /explorer/assets/*` (hashed, cached for a year) and, when `onGraphqlGet`, a
 * browser's `GET /graphql`.
 */
export function createExplorerRoute(options: ExplorerOptions = {}): Route {
  const root = resolve(options.assetsDir ?? DEFAULT_EXPLORER_ASSETS_DIR);
  const settings = JSON.stringify({ endpoint: '/graphql', queryPlans: options.queryPlans ?? false }).replace(/</g, '\\u003c');
  // Read on every request (a small file): a rebuild while the router runs is picked up.
  const loadPage = () =>
    readFile(join(root, 'index.html'), 'utf8').then(
      (html) => html.replace('</head>', `<script id="explorer-settings" type="application/json">${settings}</script></head>`),
      () => null,
    );

  const sendPage = async (req: IncomingMessage, res: ServerResponse) => {
    const html = await loadPage();
    if (html === null) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`${EXPLORER_NOT_BUILT_MESSAGE}\n`);
      return true;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES['.html']!,
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-cache',
      'content-security-policy': EXPLORER_CSP,
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  };

  const sendAsset = async (req: IncomingMessage, res: ServerResponse, relative: string) => {
    const file = resolve(root, 'assets', relative);
    const type = CONTENT_TYPES[extname(file)];
    // Only regular files under assets/ with a known type; no directory listing, no `..` escape.
    if (!file.startsWith(join(root, 'assets') + sep) || type === undefined) return notFound(res);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound(res);
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };

  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === EXPLORER_PATH || url.pathname === `${EXPLORER_PATH}/`) return sendPage(req, res);
    if (url.pathname.startsWith(`${EXPLORER_PATH}/assets/`)) {
      const relative = safeDecode(url.pathname.slice(`${EXPLORER_PATH}/assets/`.length));
      return relative === null ? notFound(res) : sendAsset(req, res, relative);
    }
    if (options.onGraphqlGet && url.pathname === '/graphql' && wantsHtml(req) && !url.searchParams.has('query')) return sendPage(req, res);
    return false;
  };
}

/** A browser navigating to the URL (not a GraphQL client doing a GET query). */
function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  return true;
}

/** Whether the explorer was built (`index.html` present) in `assetsDir`. */
export function explorerIsBuilt(assetsDir: string = DEFAULT_EXPLORER_ASSETS_DIR): boolean {
  return existsSync(join(assetsDir, 'index.html'));
}
