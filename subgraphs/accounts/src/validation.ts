// Sign-up input rules. Each check returns the value to store or throws BAD_USER_INPUT naming the
// input field, so a client can put the message next to the right form control.
import { badUserInput } from '@store/core';

export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

// The WHATWG HTML `type=email` rule, plus a dot in the domain: real shop customers have one, and
// a missing TLD is far more often a typo than an intranet address. ASCII only, by design.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Trimmed and lowercased: one account per mailbox whatever letter case is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(raw: string, field: string): string {
  const email = normalizeEmail(raw);
  const local = email.slice(0, email.lastIndexOf('@'));
  if (email.length > EMAIL_MAX || local.length > 64 || !EMAIL.test(email)) {
    throw badUserInput(`"email" must be a valid email address of at most ${EMAIL_MAX} characters.`, { field });
  }
  return email;
}

export function checkName(raw: string, field: string): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > NAME_MAX) throw badUserInput(`"name" must be 1–${NAME_MAX} characters.`, { field });
  return name;
}

/** Counted in characters, not UTF-16 units; never trimmed (spaces are part of a password). */
export function checkPassword(password: string, field: string): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw badUserInput(`"password" must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`, { field });
  }
  return password;
}
