import DataLoader from 'dataloader';
import { isUuid, type RequestInfo } from '@store/subgraph-kit';
import type { PrismaClient, User } from '../generated/prisma/client.ts';
import type { IssueAccessToken } from './tokens.ts';

/** Per-request loaders: every user lookup in one request (`me`, `user`, `_entities`) is one SQL query. */
export function createLoaders(db: PrismaClient) {
  return {
    userById: new DataLoader<string, User | null>(async (ids) => {
      // A malformed id cannot exist in a uuid column; asking would make PostgreSQL fail the batch.
      const wanted = ids.filter(isUuid);
      const rows = wanted.length ? await db.user.findMany({ where: { id: { in: wanted } } }) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      // PostgreSQL reads uuids in any letter case and answers in lower case.
      return ids.map((id) => found.get(id.toLowerCase()) ?? null);
    }),
  };
}

export interface SubgraphContext extends RequestInfo {
  db: PrismaClient;
  loaders: ReturnType<typeof createLoaders>;
  issueAccessToken: IssueAccessToken;
}
