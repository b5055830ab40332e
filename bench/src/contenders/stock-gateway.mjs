// Stock `@apollo/gateway` on `@apollo/server` with plain defaults (the standalone server), as the
// public benchmark runs it; plain JavaScript run by `node` (no TypeScript loader in the process).
// Only telemetry is off (the harness sets APOLLO_TELEMETRY_DISABLED=1), as everywhere here.
// Usage: node stock-gateway.mjs <supergraph file> <port>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Resolved from the repository root, whose node_modules has the one copy of graphql they share.
const require = createRequire(new URL('../../../package.json', import.meta.url));
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { ApolloGateway } = require('@apollo/gateway');

const [file, port] = process.argv.slice(2);
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(file, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port ?? 0), host: '127.0.0.1' } });
process.stdout.write(`ready ${url}\n`);
// Exit cleanly on SIGTERM so `--cpu-prof` can write its profile (Apollo's own handler re-raises the signal).
process.on('SIGTERM', () => process.exit(0));
