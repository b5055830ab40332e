import pg from 'pg';

/** One subgraph's database: its own database and its own login role. */
export interface DatabaseSpec {
  database: string;
  role: string;
  password: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe PostgreSQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `postgresql://role:password@host:port/database` on the same server as `adminUrl`. */
export function databaseUrlFor(adminUrl: string, spec: DatabaseSpec): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(spec.role);
  url.password = encodeURIComponent(spec.password);
  url.pathname = `/${spec.database}`;
  return url.toString();
}

/**
 * Creates (or updates) a login role and a database it owns, and revokes the default PUBLIC
 * CONNECT privilege so no other subgraph's role can open this database. Idempotent.
 */
export async function provisionDatabase(adminUrl: string, spec: DatabaseSpec): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [spec.role]);
    const verb = role.rowCount ? 'ALTER' : 'CREATE';
    await client.query(`${verb} ROLE ${ident(spec.role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(spec.password)}`);
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.database]);
    if (!db.rowCount) await client.query(`CREATE DATABASE ${ident(spec.database)} OWNER ${ident(spec.role)} ENCODING 'UTF8'`);
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(spec.database)} FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${ident(spec.database)} TO ${ident(spec.role)}`);
  } finally {
    await client.end();
  }
  return databaseUrlFor(adminUrl, spec);
}

/** Drops a database (closing its connections) and its role. */
export async function dropDatabase(adminUrl: string, spec: Pick<DatabaseSpec, 'database' | 'role'>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${ident(spec.database)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${ident(spec.role)}`);
  } finally {
    await client.end();
  }
}
