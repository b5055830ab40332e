import { forbidden, unauthenticated, type Identity } from '@store/core';

/** The signed-in caller, or an UNAUTHENTICATED error. */
export function requireIdentity(identity: Identity | null): Identity {
  if (!identity) throw unauthenticated();
  return identity;
}

export function isAdmin(identity: Identity | null): boolean {
  return identity?.role === 'ADMIN';
}

/** The caller when it has one of `roles`; UNAUTHENTICATED when anonymous, FORBIDDEN otherwise. */
export function requireRole(identity: Identity | null, ...roles: Identity['role'][]): Identity {
  const who = requireIdentity(identity);
  if (!roles.includes(who.role)) throw forbidden(`This requires the ${roles.join(' or ')} role.`);
  return who;
}
