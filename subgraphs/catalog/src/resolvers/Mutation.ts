import { badUserInput, conflict, notFound } from '@store/core';
import { isUuid, requireRole } from '@store/subgraph-kit';
import type { MutationResolvers } from '../resolvers-types.generated.ts';
import type { SubgraphContext } from '../context.ts';

const SKU = /^[A-Z0-9][A-Z0-9-]{2,31}$/;
const CURRENCY = /^[A-Z]{3}$/;

function checkText(field: string, value: string | null | undefined, max: number) {
  if (value == null) return;
  if (value.trim().length === 0 || value.length > max) throw badUserInput(`"${field}" must be 1–${max} characters.`, { field });
}
function checkAmount(field: string, value: number | null | undefined, min: number) {
  if (value == null) return;
  if (!Number.isInteger(value) || value < min || value > 100_000_000) throw badUserInput(`"${field}" must be an integer ≥ ${min}.`, { field });
}
async function checkCategory(ctx: SubgraphContext, field: string, id: string | null | undefined) {
  if (id == null) return;
  if (!(await ctx.loaders.categoryById.load(id))) throw badUserInput(`Category ${JSON.stringify(id)} does not exist.`, { field });
}

export const Mutation: MutationResolvers = {
  async createProduct(_parent, { input }, ctx) {
    requireRole(ctx.identity, 'ADMIN');
    if (!SKU.test(input.sku)) throw badUserInput('"sku" must be 3–32 characters of A–Z, 0–9 and "-".', { field: 'input.sku' });
    checkText('input.name', input.name, 200);
    checkText('input.description', input.description, 5000);
    checkAmount('input.priceAmount', input.priceAmount, 0);
    checkAmount('input.weight', input.weight, 1);
    const currency = input.currency ?? 'USD';
    if (!CURRENCY.test(currency)) throw badUserInput('"currency" must be a 3-letter ISO 4217 code.', { field: 'input.currency' });
    await checkCategory(ctx, 'input.categoryId', input.categoryId);
    if (await ctx.db.product.findUnique({ where: { sku: input.sku } })) throw conflict(`A product with SKU ${input.sku} already exists.`, { field: 'input.sku' });
    return ctx.db.product.create({
      data: {
        sku: input.sku,
        name: input.name.trim(),
        description: input.description,
        priceAmount: input.priceAmount,
        priceCurrency: currency,
        weight: input.weight,
        categoryId: input.categoryId,
      },
    });
  },

  async updateProduct(_parent, { id, input }, ctx) {
    requireRole(ctx.identity, 'ADMIN');
    const existing = isUuid(id) ? await ctx.db.product.findUnique({ where: { id } }) : null;
    if (!existing) throw notFound('Product', id);
    checkText('input.name', input.name, 200);
    checkText('input.description', input.description, 5000);
    checkAmount('input.priceAmount', input.priceAmount, 0);
    checkAmount('input.weight', input.weight, 1);
    await checkCategory(ctx, 'input.categoryId', input.categoryId);
    return ctx.db.product.update({
      where: { id },
      data: {
        ...(input.name != null && { name: input.name.trim() }),
        ...(input.description != null && { description: input.description }),
        ...(input.priceAmount != null && { priceAmount: input.priceAmount }),
        ...(input.weight != null && { weight: input.weight }),
        ...(input.categoryId != null && { categoryId: input.categoryId }),
      },
    });
  },
};
