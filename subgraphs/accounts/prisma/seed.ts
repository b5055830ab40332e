// Demo accounts: `DEMO.users` users with deterministic ids (`seedId('user', n)`), so other
// subgraphs' seeds can refer to them. User 1 is the admin, user 2 the demo customer (README).
// Idempotent: it only fills an empty users table.
import { createPrismaClientOptions, DEMO, runSeedScript, seededRandom, seedId } from '@store/db';
import { PrismaClient } from '../generated/prisma/client.ts';
import { hashPassword } from '../src/passwords.ts';

const FIRST_NAMES = [
  'Amara', 'Ben', 'Chloé', 'Diego', 'Elif', 'Finn', 'Grace', 'Hiroshi', 'Ines', 'Jonas', 'Kavya', 'Liam',
  'Maya', 'Noah', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Uma', 'Viktor', 'Wen', 'Yusuf', 'Zoe',
];
const LAST_NAMES = [
  'Andersen', 'Baker', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hughes', 'Ivanova', 'Jensen',
  'Kowalski', 'Lopez', 'Müller', 'Nakamura', "O'Brien", 'Patel', 'Rossi', 'Schmidt', 'Tanaka', 'Okafor', 'Walsh', 'Yilmaz',
];

export const DEMO_ADMIN = { email: 'admin@store.example', password: 'admin-password', name: 'Ada Admin' } as const;
export const DEMO_CUSTOMER = { email: 'demo@store.example', password: 'demo-password', name: 'Dana Demo' } as const;

export async function seedAccounts(db: PrismaClient): Promise<{ created: number }> {
  if ((await db.user.count()) > 0) return { created: 0 };
  // scrypt is slow on purpose; two hashes (each reused) keep seeding well under a second.
  const [adminHash, customerHash] = await Promise.all([hashPassword(DEMO_ADMIN.password), hashPassword(DEMO_CUSTOMER.password)]);
  const random = seededRandom(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const users = Array.from({ length: DEMO.users }, (_, i) => {
    const n = i + 1;
    const base = { id: seedId('user', n), createdAt: new Date(Date.UTC(2025, 5, 1) + n * 86_400_000) };
    if (n === 1) return { ...base, email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, role: 'ADMIN' as const, passwordHash: adminHash };
    if (n === 2) return { ...base, email: DEMO_CUSTOMER.email, name: DEMO_CUSTOMER.name, role: 'CUSTOMER' as const, passwordHash: customerHash };
    return { ...base, email: `customer${n}@store.example`, name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`, role: 'CUSTOMER' as const, passwordHash: customerHash };
  });
  const { count } = await db.user.createMany({ data: users, skipDuplicates: true });
  return { created: count };
}

await runSeedScript(import.meta.url, {
  connect: (url) => new PrismaClient(createPrismaClientOptions(url)),
  async seed(db) {
    const { created } = await seedAccounts(db);
    return [
      created ? `accounts: seeded ${created} users` : 'accounts: already seeded',
      // `demo:` lines are repeated in the `npm start` banner.
      `demo: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password} (ADMIN)`,
      `demo: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password} (CUSTOMER)`,
    ];
  },
});
