export { startEmbeddedCluster, freePort, type EmbeddedCluster, type EmbeddedClusterOptions } from './embedded.ts';
export { applyMigrations, migrationChecksum, migrationStatus, readMigrations, MigrationError, type MigrateResult, type Migration } from './migrations.ts';
export { authorMigration, hasUnmigratedChanges, datamodelOf, SNAPSHOT_FILE } from './author.ts';
export { databaseUrlFor, dropDatabase, provisionDatabase, type DatabaseSpec } from './provision.ts';
export { databaseSpecFor, databaseUrlVariable, listDatabaseSubgraphs, listSubgraphs, migrationsDirOf, repoRoot, subgraphDir, subgraphsRoot } from './subgraphs.ts';
export { createPrismaClientOptions, observeQueries, type PrismaClientOptions, type SqlQueryEvent } from './prisma.ts';
export { DEMO, demoOrders, runSeedScript, seededRandom, seedId, type DemoOrder, type SeedScript } from './seed.ts';
