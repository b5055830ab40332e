import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/ lives inside it but is not one of its workspaces). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Resolves packages from the repository root's node_modules. bench/node_modules holds Hive
 * Gateway's own copy of `graphql`; code that builds schemas with the root's `@apollo/*` packages
 * must use the root's `graphql` too (two copies break `instanceof GraphQLSchema`).
 */
export const rootRequire = createRequire(`${REPO_ROOT}package.json`);
