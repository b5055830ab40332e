import { join } from 'node:path';
import { repoRoot } from '@store/db';
import { ensureBuilt, storeFrontends } from '../../packages/devstack/src/frontends.ts';

/**
 * Vitest global setup: builds the storefront and the explorer once (when their sources changed)
 * before any test file starts `npm start`, so parallel launchers find a current build and do not
 * each build their own.
 */
export async function setup() {
  const { storefront, explorer } = storeFrontends(repoRoot);
  const lockfile = join(repoRoot, 'package-lock.json');
  await Promise.all([ensureBuilt(storefront, lockfile), ensureBuilt(explorer, lockfile)]);
}
