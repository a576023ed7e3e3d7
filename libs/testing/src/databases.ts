import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { runMigrations } from '@quire/db';

/** The PostgreSQL server tests create their own databases on (never a mock). */
export const TEST_ADMIN_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh, migrated database for one test file (on the test server unless `adminUrl` names another); `drop()` removes it. */
export async function createTestDatabase(label = 'test', adminUrl = TEST_ADMIN_DATABASE_URL): Promise<TestDatabase> {
  const name = `quire_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  await runMigrations(url);
  return {
    name,
    url,
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A key prefix of its own for one test file's Redis keys and queues. */
export function testRedisPrefix(label = 'test'): string {
  return `quiretest-${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}-${randomBytes(4).toString('hex')}`;
}

/** The data folder (QUIRE_DATA_DIR) of a test's Quire processes, named by the test's prefix. */
export function testDataDir(prefix: string): string {
  return join(tmpdir(), prefix);
}

/** Removes a test's data folder (see testDataDir). */
export function removeTestDataDir(prefix: string): void {
  rmSync(testDataDir(prefix), { recursive: true, force: true });
}

/** Deletes every key under `prefix`. */
export async function cleanRedis(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
