import { z } from 'zod';

/** The platform-wide mode switch. One variable, `APP_ENV`, for the router and every subgraph. */
export const appEnvSchema = z.enum(['development', 'production']).default('development');
export type AppEnv = z.infer<typeof appEnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses environment variables once, at the edge. Every problem names the variable and what was
 * expected, so a misconfigured process stops with a message an operator can act on.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const got = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    return got === undefined ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(got)}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** A TCP port from the environment: an integer 0–65535 (0 = any free port). */
export const portSchema = z.coerce.number().int().min(0).max(65535);

/** `true`/`false`/`1`/`0` from the environment. */
export const booleanFlagSchema = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

/** A PostgreSQL connection string. */
export const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection string');

/** `parseEnv` for a process entry point: on a bad configuration, prints the problems and exits 1. */
export function loadEnvOrExit<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
