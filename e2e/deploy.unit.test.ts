import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listSubgraphDirs, subgraphDevPort } from '@store/core';
import { repoRoot } from '@store/db';
import { parseRouterEnv, routerEnvSchema, SUBGRAPH_SIGNING_SECRET_VARIABLE, SUBGRAPH_URL_VARIABLE } from '../router/src/config.ts';

// docker-compose.yml cannot be run here (no Docker engine), so this checks it against what the
// services actually accept: every subgraph has a service, each service's environment parses with
// that service's own configuration schema in production mode, and ports and URLs line up.

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

const exampleEnv = Object.fromEntries(
  readFileSync(join(repoRoot, 'deploy/production.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}` against the example env file. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind?: string, arg?: string) => {
    const found = exampleEnv[name];
    if (found !== undefined && found !== '') return found;
    if (kind === '-') return arg ?? '';
    throw new Error(`compose variable ${name} is not in deploy/production.env.example${kind === '?' ? ` (${arg})` : ''}`);
  });
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;
const subgraphs = listSubgraphDirs(join(repoRoot, 'subgraphs'));
const environmentOf = (name: string) => Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
// Read by shared code outside the per-service schemas (@apollo/gateway, the logger).
const PLATFORM_VARIABLES = new Set(['APOLLO_TELEMETRY_DISABLED', 'LOG_FORMAT']);

/** The variables a schema reads: its object shape, looking through `.transform()` pipes. */
function variablesOf(schema: z.ZodType): Set<string> {
  let current: unknown = schema;
  while (current && typeof current === 'object' && !('shape' in current) && 'in' in current) current = (current as { in: unknown }).in;
  const shape = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (!shape) throw new Error('not an object schema');
  return new Set(Object.keys(shape));
}

describe('docker-compose.yml', () => {
  it('has a PostgreSQL service whose init script creates every subgraph database', () => {
    const init = readFileSync(join(repoRoot, 'deploy/postgres/init.sh'), 'utf8');
    const listed = /for subgraph in ([a-z ]+); do/.exec(init)![1]!.split(' ');
    expect(listed.sort()).toEqual(subgraphs.map((s) => s.name).sort());
    expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it.each(subgraphs.map((s) => [s.name, s.dir] as const))('runs subgraph %s in production with an environment its schema accepts', async (name, dir) => {
    const service = services[name];
    expect(service, `service ${name}`).toBeDefined();
    const env = environmentOf(name);
    expect(env.APP_ENV).toBe('production');
    expect(env.APOLLO_TELEMETRY_DISABLED).toBe('1');
    const { envSchema } = (await import(join(dir, 'src', 'config.ts'))) as { envSchema: z.ZodType };
    const known = variablesOf(envSchema);
    for (const key of Object.keys(env)) expect(known.has(key) || PLATFORM_VARIABLES.has(key), `${name}: ${key} is not a variable it reads`).toBe(true);
    const parsed = envSchema.safeParse(env);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    const port = subgraphDevPort(dir, name);
    expect(Number(env.PORT)).toBe(port);
    expect(service!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${port}/ready`);
    expect(service!.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(env.DATABASE_URL).toMatch(new RegExp(`^postgresql://${name}:[^@]+@postgres:5432/${name}$`));
    expect(service!.command!.join(' ')).toContain(`migrate -- deploy ${name}`);
    // Compiled by the image's build stage (see the Dockerfile checks below): no TypeScript loader.
    expect(service!.command!.join(' ')).toContain(`exec node subgraphs/${name}/dist/index.js`);
    if ('ROUTER_URL' in env) expect(env.ROUTER_URL).toBe(`http://router:${environmentOf('router').PORT}/graphql`);
  });

  it('points the router at every subgraph service and starts it only when they are healthy', () => {
    const router = services.router!;
    const env = environmentOf('router');
    const config = parseRouterEnv({ ...env });
    expect(config.appEnv).toBe('production');
    expect(env.APOLLO_TELEMETRY_DISABLED).toBe('1');
    const known = variablesOf(routerEnvSchema);
    for (const key of Object.keys(env)) expect(known.has(key) || PLATFORM_VARIABLES.has(key) || SUBGRAPH_URL_VARIABLE.test(key) || SUBGRAPH_SIGNING_SECRET_VARIABLE.test(key), `router: ${key}`).toBe(true);
    for (const { name, dir } of subgraphs) {
      expect(config.subgraphUrlOverrides[`SUBGRAPH_${name.toUpperCase()}_URL`]).toBe(`http://${name}:${subgraphDevPort(dir, name)}/graphql`);
      expect(router.depends_on?.[name]?.condition).toBe('service_healthy');
      // The router signs with the very secret the subgraph checks.
      expect(config.subgraphSigningSecrets[`SUBGRAPH_${name.toUpperCase()}_SIGNING_SECRET`]).toBe(environmentOf(name).ROUTER_SIGNING_SECRET);
    }
    expect(router.ports).toEqual([`${config.port}:${config.port}`]);
    expect(router.command!.join(' ')).toContain('--supergraph schema/supergraph.graphql');
  });

  it('runs the router with a safelist of the storefront’s persisted operations, which the image contains', () => {
    const config = parseRouterEnv({ ...environmentOf('router') });
    expect(config.persistedOperations.mode).toBe('safelist');
    expect(config.persistedOperations.manifestFiles).toContain('clients/web/persisted-operations.json');
    // The image holds the repository (the final stage's `COPY . .`, WORKDIR /app): relative to its root.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'clients/web/persisted-operations.json'), 'utf8')) as { client: string; operations: unknown[] };
    expect(manifest.client).toBe('web');
    expect(manifest.operations.length).toBeGreaterThan(0);
  });

  it('lists every subgraph’s manifest in the safelist, so the subgraphs’ own calls through the router run', () => {
    const { manifestFiles } = parseRouterEnv({ ...environmentOf('router') }).persistedOperations;
    const subgraphManifests = subgraphs.map(({ name }) => `subgraphs/${name}/persisted-operations.json`).filter((file) => existsSync(join(repoRoot, file)));
    // orders, payments, inventory and reviews call the router (src/router-operations.ts).
    expect(subgraphManifests.length).toBeGreaterThanOrEqual(4);
    for (const file of subgraphManifests) expect(manifestFiles, `${file} is missing from the router's PERSISTED_OPERATIONS_MANIFESTS`).toContain(file);
    for (const file of manifestFiles) expect(existsSync(join(repoRoot, file)), `${file} is listed but does not exist`).toBe(true);
  });

  it('keeps secrets out of the file: every secret comes from the env file', () => {
    const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    for (const value of Object.values(exampleEnv)) expect(text).not.toContain(value);
    expect(text).toMatch(/\$\{JWT_SECRET:\?/);
    for (const { name } of subgraphs) expect(text).toMatch(new RegExp(`\\$\\{${name.toUpperCase()}_SIGNING_SECRET:\\?`));
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  // Stages, in order: each from its FROM line to the next.
  const stages = dockerfile.split(/^(?=FROM )/m).filter((part) => part.startsWith('FROM '));
  const build = stages.find((stage) => /^FROM \S+ AS build$/m.test(stage));
  const final = stages.at(-1)!;

  it('builds the router, its explorer and every subgraph in a build stage with all dependencies', () => {
    expect(build, 'a stage named build').toBeDefined();
    expect(build).toMatch(/npm ci (?!.*--omit=dev)/);
    for (const script of ['build:router', 'build:explorer', 'build:subgraphs']) expect(build).toContain(`npm run ${script}`);
    // What the services run (docker-compose.yml) and what the router serves at /explorer.
    for (const output of ['router/dist', 'router/explorer/dist', 'subgraphs/*/dist']) expect(build).toMatch(new RegExp(`cp -r --parents .*${output.replace('*', '\\*')}`));
  });

  it('runs from a final stage with production dependencies only, the built outputs, telemetry off and not as root', () => {
    expect(final).not.toBe(build);
    expect(final).toContain('npm ci --omit=dev');
    expect(final).toContain('COPY --from=build /out/ ./');
    expect(final).toMatch(/APOLLO_TELEMETRY_DISABLED=1/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toContain('CMD ["node", "router/dist/index.js"');
  });
});
