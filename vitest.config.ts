import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Projects are chosen by file suffix: `*.unit.test.ts` need nothing; `*.db.test.ts` and
// `e2e/**/*.e2e.test.ts` get a real PostgreSQL (embedded, or TEST_DATABASE_ADMIN_URL);
// `e2e/*.browser.e2e.test.ts` also drive Debian's Chromium against the storefront and explorer.
const env = { APOLLO_TELEMETRY_DISABLED: '1', APP_ENV: 'development' };

export default defineConfig({
  // graphql@16 ships CJS and ESM builds; Node loads the CJS one for Apollo's packages, Vite would
  // pick the ESM one for our sources. Two copies break `instanceof GraphQLError`: use one.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude: ['**/node_modules/**', 'bench/**'], env } },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['**/*.db.test.ts', 'e2e/**/*.e2e.test.ts', 'e2e/**/*.browser.e2e.test.ts'],
          exclude: ['**/node_modules/**', 'bench/**'],
          globalSetup: ['packages/testkit/src/global-setup.ts', 'e2e/support/build-frontends.ts'],
          env,
        },
      },
    ],
  },
});
