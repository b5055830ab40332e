import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = join(import.meta.dirname, 'fixtures', 'seed-script.ts');
const { DATABASE_URL: _ignored, ...environment } = process.env;
const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', fixture], { env: { ...environment, ...env }, encoding: 'utf8' });

describe('runSeedScript', () => {
  it('does nothing when its module is imported rather than run', async () => {
    const { seeded } = await import('./fixtures/seed-script.ts');
    expect(seeded).toEqual([]);
  });

  it('seeds DATABASE_URL, prints the returned lines, then disconnects', () => {
    const result = run({ DATABASE_URL: 'postgresql://fixture' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('fixture: seeded postgresql://fixture\ndemo: a line for the banner\ndisconnected\n');
    expect(result.status).toBe(0);
  });

  it('exits 2 without DATABASE_URL', () => {
    const result = run({});
    expect(result.stderr).toBe('DATABASE_URL is required\n');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});
