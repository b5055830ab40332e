import { forbidden } from '@store/core';
import { isUuid, requireRole } from '@store/subgraph-kit';
import { Prisma } from '../../generated/prisma/client.ts';
import { catalogUnavailable, duplicateReview, invalidBody, invalidProductId, invalidRating, MAX_BODY_LENGTH, unknownProduct } from '../errors.ts';
import { ProductDirectoryUnavailableError } from '../product-directory.ts';
import type { MutationResolvers } from '../resolvers-types.generated.ts';
import type { SubgraphContext } from '../context.ts';

async function checkProductExists(ctx: SubgraphContext, productId: string): Promise<void> {
  let exists: boolean;
  try {
    exists = await ctx.productDirectory.exists(productId);
  } catch (error) {
    if (!(error instanceof ProductDirectoryUnavailableError)) throw error;
    // The client sees a stable code; the reason (host, status, router errors) stays in the log.
    ctx.logger.warn('product lookup failed', { error, productId });
    throw catalogUnavailable();
  }
  if (!exists) throw unknownProduct(productId);
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export const Mutation: MutationResolvers = {
  async addReview(_parent, { input }, ctx) {
    const author = requireRole(ctx.identity, 'CUSTOMER', 'ADMIN');
    // Reviews are written by user accounts, whose ids are UUIDs (the author column is one).
    if (!isUuid(author.sub)) throw forbidden('Only user accounts can write reviews.');
    // Cheap checks first, the router round trip last: a rejected write costs no network call.
    if (!isUuid(input.productId)) throw invalidProductId(input.productId);
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw invalidRating();
    const body = input.body.trim();
    if (body.length === 0 || body.length > MAX_BODY_LENGTH) throw invalidBody();
    const existing = await ctx.db.review.findUnique({ where: { productId_authorId: { productId: input.productId, authorId: author.sub } }, select: { id: true } });
    if (existing) throw duplicateReview(input.productId);
    await checkProductExists(ctx, input.productId);
    try {
      return await ctx.db.review.create({ data: { productId: input.productId, authorId: author.sub, rating: input.rating, body } });
    } catch (error) {
      // Two concurrent writes can both pass the check above; the unique index decides.
      if (isUniqueViolation(error)) throw duplicateReview(input.productId);
      throw error;
    }
  },
};
