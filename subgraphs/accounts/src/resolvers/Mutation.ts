import { Prisma, type User } from '../../generated/prisma/client.ts';
import type { SubgraphContext } from '../context.ts';
import { emailTaken, invalidCredentials } from '../errors.ts';
import { hashPassword, verifyAgainstNobody, verifyPassword } from '../passwords.ts';
import type { MutationResolvers } from '../resolvers-types.generated.ts';
import { checkEmail, checkName, checkPassword, EMAIL_MAX, normalizeEmail } from '../validation.ts';
import { markAuthenticated } from '../viewer.ts';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

async function signedIn(ctx: SubgraphContext, user: User) {
  const { token, expiresAt } = await ctx.issueAccessToken(user);
  return { token, expiresAt: expiresAt.toISOString(), user: markAuthenticated(user) };
}

export const Mutation: MutationResolvers = {
  async signUp(_parent, { input }, ctx) {
    const email = checkEmail(input.email, 'input.email');
    const name = checkName(input.name, 'input.name');
    const password = checkPassword(input.password, 'input.password');
    // Checked first so a taken email costs no scrypt; the unique index still decides races.
    if (await ctx.db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
    const passwordHash = await hashPassword(password);
    let user: User;
    try {
      user = await ctx.db.user.create({ data: { email, name, passwordHash } });
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    ctx.logger.info('user signed up', { userId: user.id });
    return signedIn(ctx, user);
  },

  async logIn(_parent, { email, password }, ctx) {
    const normalized = normalizeEmail(email);
    const user = normalized.length <= EMAIL_MAX ? await ctx.db.user.findUnique({ where: { email: normalized } }) : null;
    // Unknown emails cost one scrypt too, so response time does not reveal which accounts exist.
    const matches = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNobody(password);
    if (!user || !matches) {
      ctx.logger.info('log-in refused', user ? { userId: user.id, reason: 'wrong password' } : { reason: 'unknown email' });
      throw invalidCredentials();
    }
    return signedIn(ctx, user);
  },
};
