// The signed-in user's token for `execute` (set by AuthProvider), outside React state so that
// plain functions can send it.
let current: string | null = null;

export const getAuthToken = (): string | null => current;
export function setAuthToken(token: string | null): void {
  current = token;
}
