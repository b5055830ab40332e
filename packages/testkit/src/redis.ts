import { connect } from 'node:net';

/** The Redis the tests share (`.ci/run` starts one); each test keeps to its own key prefix. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** True when `PING` on `url` answers `+PONG` within a second. */
export function redisAnswers(url: string = TEST_REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('+PONG')));
  });
}

/**
 * Whether the Redis tests run. Outside CI they are skipped, with a message, when no Redis
 * answers; with CI=true they run anyway and fail, because CI must have started Redis.
 */
export async function redisTestsEnabled(): Promise<{ run: boolean; reachable: boolean }> {
  const reachable = await redisAnswers();
  if (!reachable && !inCi) {
    process.stderr.write(`skipping the Redis tests: no Redis answers at ${TEST_REDIS_URL} (start one: redis-server --port 6379 --save "" --appendonly no; with CI=true they fail instead)\n`);
  }
  return { run: reachable || inCi, reachable };
}
