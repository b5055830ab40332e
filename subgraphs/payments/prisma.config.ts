// Prisma 7 CLI configuration (used by `prisma generate`). Migrations are applied by our own
// runner (packages/db), which reads prisma/migrations the same way Prisma does.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/payments' },
});
