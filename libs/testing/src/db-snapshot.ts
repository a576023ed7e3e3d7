import { DataSource } from 'typeorm';

export type DbSnapshot = Record<string, unknown[]>;

/**
 * Every row of `tables` (by default every table but the migrations log) as JSON, in a stable order:
 * two snapshots are equal exactly when nothing in those tables changed, so a test can show that a
 * refused request left the database as it was.
 */
export async function dbSnapshot(dataSource: DataSource, tables?: readonly string[]): Promise<DbSnapshot> {
  const names =
    tables ??
    ((await dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
    )) as { name: string }[]).map((t) => t.name);
  const snapshot: DbSnapshot = {};
  for (const name of names) {
    const rows: { row: unknown }[] = await dataSource.query(`SELECT to_jsonb(t) AS row FROM ${quoteIdent(name)} t ORDER BY to_jsonb(t)::text`);
    snapshot[name] = rows.map((r) => r.row);
  }
  return snapshot;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
