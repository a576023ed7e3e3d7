/**
 * The Hocuspocus peer for `npm run bench:collab`: @hocuspocus/server with its database extension
 * storing each document's state in PostgreSQL (the same server Quire uses), with the extension's
 * defaults for when it stores (2 s after the last change, at most 10 s after the first).
 */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS hocuspocus_documents (name text PRIMARY KEY, data bytea NOT NULL)`);
  const server = new Server({
    port: Number(process.env['PORT']),
    address: '127.0.0.1',
    quiet: true,
    extensions: [
      new Database({
        fetch: async ({ documentName }) => (await pool.query(`SELECT data FROM hocuspocus_documents WHERE name = $1`, [documentName])).rows[0]?.data ?? null,
        store: async ({ documentName, state }) => {
          await pool.query(`INSERT INTO hocuspocus_documents (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data`, [documentName, state]);
        },
      }),
    ],
  });
  await server.listen();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
