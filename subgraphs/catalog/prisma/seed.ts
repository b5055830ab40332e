// Demo data for the catalog: 10 categories, 240 products. Idempotent: ids are deterministic
// (`seedId`), so running it again changes nothing; it only fills an empty database.
import { createPrismaClientOptions, DEMO, runSeedScript, seededRandom, seedId } from '@store/db';
import { PrismaClient } from '../generated/prisma/client.ts';

const CATEGORIES = [
  ['audio', 'Audio'],
  ['cameras', 'Cameras'],
  ['computers', 'Computers'],
  ['gaming', 'Gaming'],
  ['home', 'Home & Kitchen'],
  ['outdoor', 'Outdoor'],
  ['phones', 'Phones'],
  ['books', 'Books'],
  ['sports', 'Sports'],
  ['toys', 'Toys'],
] as const;
const ADJECTIVES = ['Compact', 'Pro', 'Classic', 'Ultra', 'Eco', 'Smart', 'Travel', 'Studio', 'Mini', 'Max', 'Lite', 'Prime'];
const NOUNS: Record<string, string[]> = {
  audio: ['Headphones', 'Speaker', 'Earbuds', 'Soundbar'],
  cameras: ['Camera', 'Lens', 'Tripod', 'Action Cam'],
  computers: ['Laptop', 'Keyboard', 'Monitor', 'Mouse'],
  gaming: ['Controller', 'Console', 'Headset', 'Gaming Chair'],
  home: ['Kettle', 'Blender', 'Toaster', 'Coffee Maker'],
  outdoor: ['Tent', 'Backpack', 'Lantern', 'Sleeping Bag'],
  phones: ['Phone', 'Phone Case', 'Charger', 'Power Bank'],
  books: ['Cookbook', 'Novel', 'Atlas', 'Field Guide'],
  sports: ['Yoga Mat', 'Football', 'Dumbbell Set', 'Running Shoes'],
  toys: ['Puzzle', 'Building Set', 'Kite', 'Board Game'],
};

export async function seedCatalog(db: PrismaClient): Promise<{ created: number }> {
  if ((await db.product.count()) > 0) return { created: 0 };
  const random = seededRandom(42);
  const categories = CATEGORIES.slice(0, DEMO.categories).map(([slug, name], i) => ({ id: seedId('category', i + 1), slug, name }));
  await db.category.createMany({ data: categories, skipDuplicates: true });
  const products = Array.from({ length: DEMO.products }, (_, i) => {
    const n = i + 1;
    const category = categories[i % categories.length]!;
    const noun = NOUNS[category.slug]![Math.floor(random() * 4)]!;
    const adjective = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)]!;
    return {
      id: seedId('product', n),
      sku: `SKU-${String(n).padStart(4, '0')}`,
      name: `${adjective} ${noun} ${n}`,
      description: `The ${adjective.toLowerCase()} ${noun.toLowerCase()} from our ${category.name.toLowerCase()} range.`,
      priceAmount: 499 + Math.floor(random() * 200) * 100,
      priceCurrency: 'USD',
      weight: 50 + Math.floor(random() * 5000),
      categoryId: category.id,
      createdAt: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000),
    };
  });
  const { count } = await db.product.createMany({ data: products, skipDuplicates: true });
  return { created: count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { created } = await seedCatalog(db);
    return [created ? `catalog: seeded ${created} products` : 'catalog: already seeded'];
  },
});
