// The accounts subgraph's environment, parsed once at start-up (src/index.ts). Token signing is
// the one place a weak default would be a security hole, so production refuses to start without a
// real key instead of falling back to the development secret.
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { DEV_JWT_SECRET, parseEnv, portSchema, type SigningKey } from '@store/core';
import { refineRequestSigning, subgraphEnvSchema } from '@store/subgraph-kit';

export const MIN_SECRET_LENGTH = 32;

// An empty variable (`JWT_SECRET=` in an env file) means "not set", not "the empty secret".
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

function isPkcs8RsaPem(pem: string): boolean {
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) return false;
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

// Problems about secrets are reported with an empty path: `parseEnv` prints the value of a
// variable named in the path, and a secret must never reach a log, even a weak one.
export const accountsEnvSchema = subgraphEnvSchema
  .extend({
    PORT: portSchema.default(4001),
    /** HS256 secret shared with the router. Development default: DEV_JWT_SECRET. */
    JWT_SECRET: optionalText,
    /** RSA private key (PKCS#8 PEM) for RS256; wins over JWT_SECRET when both are set. */
    // Env files often hold a PEM on one line with literal `\n`s.
    JWT_PRIVATE_KEY: optionalText.transform((pem) => pem?.replace(/\\n/g, '\n')),
    /** `kid` header of RS256 tokens, so verifiers can pick the key from a JWKS. */
    JWT_KEY_ID: optionalText,
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(3600),
  })
  .superRefine((env, ctx) => {
    const refuse = (message: string) => ctx.addIssue({ code: 'custom', path: [], message });
    if (env.JWT_PRIVATE_KEY !== undefined) {
      if (!isPkcs8RsaPem(env.JWT_PRIVATE_KEY)) refuse('JWT_PRIVATE_KEY must be an RSA private key in PKCS#8 PEM form ("-----BEGIN PRIVATE KEY-----").');
      return;
    }
    if (env.APP_ENV !== 'production') return;
    if (env.JWT_SECRET === undefined) {
      refuse('APP_ENV=production requires JWT_PRIVATE_KEY (RS256) or JWT_SECRET (HS256); neither is set.');
    } else if (env.JWT_SECRET === DEV_JWT_SECRET) {
      refuse('JWT_SECRET is the development secret, which APP_ENV=production refuses; set your own (or JWT_PRIVATE_KEY).');
    } else if (env.JWT_SECRET.length < MIN_SECRET_LENGTH) {
      refuse(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters when APP_ENV=production.`);
    }
  })
  .superRefine(refineRequestSigning)
  // The secrets leave the plain env object and live only inside `signingKey`.
  .transform(({ JWT_SECRET, JWT_PRIVATE_KEY, JWT_KEY_ID, JWT_TTL_SECONDS, ...rest }) => {
    const signingKey: SigningKey = JWT_PRIVATE_KEY
      ? { alg: 'RS256', privateKeyPem: JWT_PRIVATE_KEY, ...(JWT_KEY_ID ? { keyId: JWT_KEY_ID } : {}) }
      : { alg: 'HS256', secret: JWT_SECRET ?? DEV_JWT_SECRET };
    return { ...rest, signingKey, tokenTtlSeconds: JWT_TTL_SECONDS };
  });

export type AccountsEnv = z.infer<typeof accountsEnvSchema>;

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function parseAccountsEnv(env: NodeJS.ProcessEnv = process.env): AccountsEnv {
  return parseEnv(accountsEnvSchema, env);
}

/** The subgraph's environment schema under its conventional name (docker-compose test). */
export { accountsEnvSchema as envSchema };
