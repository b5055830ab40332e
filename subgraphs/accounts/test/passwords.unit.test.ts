import { describe, expect, it } from 'vitest';
import { hashPassword, verifyAgainstNobody, verifyPassword } from '../src/passwords.ts';
import { checkEmail, checkName, checkPassword } from '../src/validation.ts';

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a fresh 16-byte salt and a 64-byte key', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    const parts = a.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(64);
    expect(a).not.toBe(b);
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats Unicode forms of the same text as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-latte');
    expect(await verifyPassword('cafe\u0301-latte', stored)).toBe(true);
  });

  it('rejects malformed or abusive stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$16384$8$1$$')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1000$8$1$AAAA$AAAA')).toBe(false);
  });

  it('verifyAgainstNobody never matches', async () => {
    expect(await verifyAgainstNobody('')).toBe(false);
    expect(await verifyAgainstNobody('anything at all')).toBe(false);
  });
});

describe('sign-up input rules', () => {
  it('normalizes a valid email to trimmed lower case', () => {
    expect(checkEmail('  Jane.Doe+shop@Example.CO.uk ', 'input.email')).toBe('jane.doe+shop@example.co.uk');
  });

  it.each(['', 'plain', 'a@b', 'a b@example.com', 'a@@example.com', 'a@example..com', 'a@-example.com', `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(250)}.com`, 'jösé@example.com'])(
    'refuses the email %j with BAD_USER_INPUT on the field',
    (email) => {
      expect(() => checkEmail(email, 'input.email')).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.email' }) }));
    },
  );

  it('trims names and bounds them to 1–100 characters', () => {
    expect(checkName('  Ada  ', 'input.name')).toBe('Ada');
    expect(checkName('é'.repeat(100), 'input.name')).toHaveLength(100);
    expect(() => checkName('   ', 'input.name')).toThrow();
    expect(() => checkName('x'.repeat(101), 'input.name')).toThrow();
  });

  it('bounds passwords to 8–200 characters, counted as characters, never trimmed', () => {
    expect(checkPassword('  spaced  ', 'input.password')).toBe('  spaced  ');
    expect(checkPassword('😀'.repeat(8), 'input.password')).toHaveLength(16);
    expect(() => checkPassword('1234567', 'input.password')).toThrow();
    expect(() => checkPassword('x'.repeat(201), 'input.password')).toThrow();
  });
});
