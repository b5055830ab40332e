import { z } from 'zod';

/**
 * The one header that carries the caller's verified identity from the router to subgraphs.
 * The router strips any copy a client sent and sets it only from a verified token. Its value is
 * base64url(JSON.stringify({ sub, role, scopes })).
 */
export const IDENTITY_HEADER = 'x-store-identity';

export const identitySchema = z.object({
  sub: z.string().min(1),
  role: z.enum(['CUSTOMER', 'ADMIN', 'SERVICE']),
  scopes: z.array(z.string()),
});
export type Identity = z.infer<typeof identitySchema>;

export function encodeIdentity(identity: Identity): string {
  return Buffer.from(JSON.stringify(identity), 'utf8').toString('base64url');
}

/** Returns the identity in a header value, `null` when absent, and throws on a malformed value. */
export function decodeIdentity(value: string | undefined): Identity | null {
  if (value === undefined || value === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new Error(`${IDENTITY_HEADER} is not base64url-encoded JSON`);
  }
  const result = identitySchema.safeParse(parsed);
  if (!result.success) throw new Error(`${IDENTITY_HEADER} does not match { sub, role, scopes }`);
  return result.data;
}
