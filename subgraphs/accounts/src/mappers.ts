// GraphQL types backed by Prisma rows (codegen `mappers`): resolvers return rows, field
// resolvers shape them (and keep `passwordHash` out of every response).
import type { User } from '../generated/prisma/client.ts';

export type UserMapper = User;
