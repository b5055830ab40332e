import { scopesForRole, signAccessToken, type SigningKey } from '@store/core';
import type { User } from '../generated/prisma/client.ts';

export type IssueAccessToken = (user: Pick<User, 'id' | 'role'>) => Promise<{ token: string; expiresAt: Date }>;

/** Access tokens carry only the identity (`sub`, `role`, `scopes`): no email, nothing private. */
export function createTokenIssuer(key: SigningKey, ttlSeconds: number): IssueAccessToken {
  return (user) => signAccessToken({ sub: user.id, role: user.role, scopes: scopesForRole(user.role) }, key, ttlSeconds);
}
