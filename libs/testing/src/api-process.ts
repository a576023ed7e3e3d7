import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stopChildProcess } from './child-process';
import { cleanRedis, createTestDatabase, removeTestDataDir, TEST_REDIS_URL, TestDatabase, testDataDir, testRedisPrefix } from './databases';
import { freePort } from './test-app';
import { waitFor } from './wait';

export interface ApiProcess {
  url: string;
  database: TestDatabase;
  /** Every line the process has written to stdout and stderr so far. */
  lines(): string[];
  stop(): Promise<void>;
}

const WORKSPACE = resolve(__dirname, '../../..');

/**
 * Runs apps/api as its own process, started as it is deployed, against a fresh database and Redis
 * key prefix: for what only a real process shows, such as the log lines it writes. Resolves once
 * /health/ready answers; `stop()` ends the process and removes the database and the keys.
 */
export async function startApiProcess(options: { label?: string; env?: Record<string, string> } = {}): Promise<ApiProcess> {
  const label = options.label ?? 'process';
  const database = await createTestDatabase(label);
  const prefix = testRedisPrefix(label);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: url, DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL,
      QUIRE_REDIS_PREFIX: prefix, QUIRE_DATA_DIR: testDataDir(prefix), LOG_LEVEL: 'info', ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => lines.push(line));

  const stop = async (): Promise<void> => {
    await stopChildProcess(child);
    await database.drop();
    await cleanRedis(prefix);
    removeTestDataDir(prefix);
  };

  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
      return fetch(`${url}/health/ready`).then((res) => res.ok || undefined, () => undefined);
    }, 'the api process to answer /health/ready', { timeoutMs: 60_000 });
  } catch (error) {
    await stop();
    throw new Error(`The api process did not become ready; its output:\n${lines.join('\n')}`, { cause: error });
  }
  return { url, database, lines: () => [...lines], stop };
}
