import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { QuireConfig } from '@quire/config';
import { startEmbeddedPostgres } from '@quire/db';

export interface ResolvedServices {
  databaseUrl: string;
  redisUrl: string;
  /** Stops whatever this process started (embedded PostgreSQL, local redis-server). */
  stop(): Promise<void>;
}


/**
 * Finds PostgreSQL and Redis for a process: `DATABASE_URL` or an embedded PostgreSQL in the data
 * directory; `REDIS_URL`, else a Redis at 127.0.0.1:6379, else a `redis-server` started from PATH.
 * When none can be had it throws one line that names the fix.
 */
export async function resolveServices(config: QuireConfig, log: (line: string) => void): Promise<ResolvedServices> {
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = config.embeddedPostgresPort;
    const embedded = await startEmbeddedPostgres(config.dataDir, port, log);
    log(`Embedded PostgreSQL is running on 127.0.0.1:${port} with its data in ${resolve(config.dataDir, 'pg')}`);
    databaseUrl = embedded.url;
    stops.push(() => embedded.stop());
  }
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    redisUrl = `redis://127.0.0.1:${config.localRedisPort}`;
    if (!(await redisAnswers(redisUrl))) {
      const stop = await startLocalRedis(config.dataDir, config.localRedisPort, log);
      stops.push(stop);
    }
  } else if (!(await redisAnswers(redisUrl))) {
    throw new Error(`Redis does not answer at REDIS_URL=${redisUrl}: start it there, or unset REDIS_URL to use a local redis-server.`);
  }
  return { databaseUrl, redisUrl, stop: async () => { for (const stop of stops.reverse()) await stop().catch(() => undefined); } };
}

export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startLocalRedis(dataDir: string, port: number, log: (line: string) => void): Promise<() => Promise<void>> {
  const dir = resolve(join(dataDir, 'redis'));
  const url = `redis://127.0.0.1:${port}`;
  mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'], { stdio: 'ignore' });
  const failed = new Promise<Error>((resolveError) => child.once('error', resolveError));
  for (let i = 0; i < 50; i++) {
    const outcome = await Promise.race([failed, new Promise((r) => setTimeout(r, 100)).then(() => null)]);
    if (outcome) {
      throw new Error(`Redis is not running at 127.0.0.1:${port} and no redis-server is on PATH: install Redis (apt-get install redis-server) or set REDIS_URL.`);
    }
    if (await redisAnswers(url)) {
      log(`Started redis-server on 127.0.0.1:${port} with its data in ${dir}`);
      return async () => {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      };
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on 127.0.0.1:${port}: is the port taken? Set REDIS_URL to a running Redis.`);
}
