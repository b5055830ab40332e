import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, relative } from 'node:path';
import { listen, type RunningServer } from '@store/core';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SinglePageAppOptions {
  /** A Vite build: `index.html` and `assets/`. */
  dir: string;
  /** Written into the page as `<script id="store-config" type="application/json">`. */
  settings: Record<string, unknown>;
  /** Origins the page may fetch from besides its own (its Content-Security-Policy). */
  connectOrigins: string[];
}

/**
 * A static server for a built single-page app: files under `assets/` as they are (hashed names,
 * cached long), `index.html` with the app's settings for every other GET path (the app routes
 * on the client). The build is read into memory once (a few hundred kB), so a rebuild by another
 * launcher never pulls files from under a running one. Small on purpose: development only.
 */
export function createSinglePageAppHandler(options: SinglePageAppOptions) {
  const indexFile = join(options.dir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`no build in ${options.dir} (index.html missing)`);
  const index = readFileSync(indexFile, 'utf8');
  const assets = new Map<string, Buffer>();
  const assetsDir = join(options.dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const entry of readdirSync(assetsDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        const file = join(entry.parentPath, entry.name);
        assets.set(`/assets/${relative(assetsDir, file).split('\\').join('/')}`, readFileSync(file));
      }
    }
  }
  const settings = `<script id="store-config" type="application/json">${JSON.stringify(options.settings).replace(/</g, '\\u003c')}</script>`;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${options.connectOrigins.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const send = (req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | number>, body: string | Buffer) => {
    res.writeHead(status, { 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const page = index.replace('</head>', `${settings}</head>`);

  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'Method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/assets/')) {
      // Only the files of the build, looked up by exact path: nothing else can be reached.
      const body = assets.get(path);
      const type = CONTENT_TYPES[extname(path)];
      if (!body || !type) return send(req, res, 404, { 'content-type': 'text/plain' }, 'Not found\n');
      return send(req, res, 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' }, body);
    }
    return send(req, res, 200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-cache', 'content-security-policy': csp }, page);
  };
}

export async function serveSinglePageApp(options: SinglePageAppOptions & { port: number; host: string }): Promise<RunningServer> {
  const handler = createSinglePageAppHandler(options);
  const server = createServer(handler);
  return listen(server, options.port, options.host);
}
