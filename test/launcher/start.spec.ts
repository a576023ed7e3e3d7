import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { cleanRedis, createTestDatabase, GraphQLClient, TEST_REDIS_URL, testRedisPrefix } from '@quire/testing';

/** What the demo seed made, read from its tables. */
async function demoBook(databaseUrl: string): Promise<unknown> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rounds = await client.query(
      `SELECT r.title, r.phase, (SELECT count(*)::int FROM votes v WHERE v.round_id = r.id) AS votes,
              (SELECT count(*)::int FROM round_results x WHERE x.round_id = r.id) AS results
         FROM rounds r ORDER BY r.created_at`,
    );
    const portraits = await client.query(
      `SELECT c.name, p.status, d.word_count AS words,
              (SELECT count(*)::int FROM collab_versions v WHERE v.document_name = 'portrait:' || p.id) AS versions
         FROM portraits p JOIN candidates c ON c.id = p.candidate_id
         LEFT JOIN collab_documents d ON d.name = 'portrait:' || p.id
        ORDER BY d.word_count DESC NULLS LAST, c.name = 'Marga Klompé' DESC`,
    );
    return { rounds: rounds.rows, portraits: portraits.rows };
  } finally {
    await client.end();
  }
}

/**
 * The laptop path of the README: `quire start` with no DATABASE_URL starts an embedded
 * PostgreSQL in the data directory, migrates, seeds the demo book once and serves it.
 */
describe('quire start (launcher)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'quire-launcher-'));
  const prefix = testRedisPrefix('launcher');
  let child: ChildProcess | undefined;
  let output = '';

  async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
  }

  function launch(env: Record<string, string>, command = 'start'): ChildProcess {
    output = '';
    const launched = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/quire/src/main.ts', command], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', QUIRE_DATA_DIR: dataDir, QUIRE_REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launched.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launched.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return launched;
  }

  async function waitReady(url: string, process: ChildProcess): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (process.exitCode !== null) throw new Error(`launcher exited early:\n${output}`);
      const ok = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`launcher never became ready:\n${output}`);
  }

  async function stop(process: ChildProcess | undefined): Promise<void> {
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((r) => process.once('exit', r));
    process.kill('SIGTERM');
    await exited;
  }

  afterAll(async () => {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    await cleanRedis(prefix);
  });

  it('serves the seeded demo book on embedded PostgreSQL, and keeps it over a restart without seeding twice', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), QUIRE_PG_PORT: String(pgPort), PUBLIC_URL: url };
    child = launch(env);
    await waitReady(url, child);
    expect(output).toContain('admin@quire.local');
    expect(output).toContain('welkom-bij-quire');

    const client = new GraphQLClient(url);
    await client.data('mutation { signIn(input: { email: "redactie@quire.local", password: "welkom-bij-quire" }) { user { id } } }');
    const { projects } = await client.data<{ projects: { slug: string; myRoles: string[] }[] }>('{ projects { slug myRoles } }');
    expect(projects).toEqual([{ slug: 'ambtenaren', myRoles: ['MEMBER', 'EDITOR'] }]);

    await stop(child);
    child = launch(env);
    await waitReady(url, child);
    expect(output).not.toContain('Seeded the demo book');
    const again = new GraphQLClient(url);
    await again.data('mutation { signIn(input: { email: "lid@quire.local", password: "welkom-bij-quire" }) { user { id } } }');
    const after = await again.data<{ projects: { slug: string }[] }>('{ projects { slug } }');
    expect(after.projects.map((p) => p.slug)).toEqual(['ambtenaren']);
  });

  it('seeds the demo book with `quire seed`, once', async () => {
    const database = await createTestDatabase('seedcommand');
    try {
      const seed = async (): Promise<{ code: number | null; output: string }> => {
        const seeding = launch({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL }, 'seed');
        const code = await new Promise<number | null>((r) => seeding.once('exit', r));
        return { code, output };
      };
      const first = await seed();
      expect(first).toEqual({ code: 0, output: expect.stringContaining('redactie@quire.local') });
      expect(await demoBook(database.url)).toEqual({
        rounds: [
          { title: 'Eerste ronde: wie vormde Nederland?', phase: 'CLOSED', votes: 17, results: 1 },
          { title: 'Tweede ronde: wie ontbreekt er nog?', phase: 'VOTING', votes: 5, results: 0 },
        ],
        portraits: [
          { name: 'Cornelis Lely', status: 'DRAFTING', words: 92, versions: 0 },
          { name: 'Johan Rudolph Thorbecke', status: 'IN_REVIEW', words: 62, versions: 1 },
          { name: 'Marga Klompé', status: 'UNASSIGNED', words: null, versions: 0 },
          { name: expect.stringMatching(/^(Johan van Veen|Willem Drees)$/), status: 'UNASSIGNED', words: null, versions: 0 },
        ],
      });
      const second = await seed();
      expect(second).toEqual({ code: 0, output: expect.stringContaining('nothing seeded') });
    } finally {
      await database.drop();
    }
  });

  it('logs a line per request at info level: id, method and path with e-mailed secrets masked; no headers, no probes', async () => {
    const database = await createTestDatabase('requestlog');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = launch({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, PORT: String(port), LOG_LEVEL: 'info' }, 'api');
    try {
      await waitReady(url, api);
      await fetch(`${url}/metrics`);
      const headers = { 'content-type': 'application/json', 'x-request-id': 'request-log-check', authorization: 'Bearer secret-token' };
      await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }) });
      await fetch(`${url}/invitation/secret-invitation-token?lang=nl`, { headers: { accept: 'text/html' } });
      await stop(api);
      const requests = output
        .split('\n')
        .filter((line) => line.includes('"request completed"'))
        .map((line) => (JSON.parse(line) as { req: unknown }).req);
      expect(requests).toEqual([
        { id: 'request-log-check', method: 'POST', url: '/graphql' },
        { id: expect.stringMatching(/^[0-9a-f-]{36}$/), method: 'GET', url: '/invitation/[redacted]' },
      ]);
      expect(output).not.toContain('secret-token');
      expect(output).not.toContain('secret-invitation-token');
    } finally {
      await stop(api);
      await database.drop();
    }
  });

  it('logs a fault with the id of the request it broke, in a resolver and while building the context, and answers without its message', async () => {
    const database = await createTestDatabase('faultlog');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = launch({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, PORT: String(port) }, 'api');
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      await waitReady(url, api);
      // Faults on demand: the tables that signing in and finding a session read are gone.
      await db.query('ALTER TABLE users RENAME TO users_gone; ALTER TABLE sessions RENAME TO sessions_gone');
      const ask = (requestId: string, headers: Record<string, string>) =>
        fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
          body: JSON.stringify({ query: 'mutation { signIn(input: { email: "a@example.org", password: "geheim-wachtwoord" }) { user { id } } }' }),
        }).then((res) => res.text());
      const answers = [await ask('fault-in-resolver', {}), await ask('fault-in-context', { authorization: 'Bearer some-session-token' })];
      await stop(api);
      for (const answer of answers) {
        expect(answer).toContain('INTERNAL_SERVER_ERROR');
        expect(answer).not.toMatch(/users|sessions/);
      }
      const faults = output
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .map((line) => JSON.parse(line) as { time: number; requestId?: string; err?: { message?: string } })
        // In the order they happened: the two requests' faults may reach the output in either order.
        .sort((a, b) => a.time - b.time);
      expect(faults).toEqual([
        expect.objectContaining({ requestId: 'fault-in-resolver', err: expect.objectContaining({ message: expect.stringContaining('users') }) }),
        expect.objectContaining({ err: expect.objectContaining({ message: expect.stringContaining('sessions') }) }),
      ]);
    } finally {
      await db.end();
      await stop(api);
      await database.drop();
    }
  });

  it('stops with one line naming the fix when Redis cannot be reached', async () => {
    const deadPort = await freePort();
    const failing = launch({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', REDIS_URL: `redis://127.0.0.1:${deadPort}` }, 'migrate');
    const code = await new Promise<number | null>((r) => failing.once('exit', r));
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis does not answer at REDIS_URL=.*unset REDIS_URL/);
  });

  it('starts a local redis-server from PATH when REDIS_URL is unset and none answers', async () => {
    const redisPort = await freePort();
    // A database of its own: migrating the server's shared one would leave its schema to every later run.
    const database = await createTestDatabase('localredis');
    try {
      const launched = launch({ DATABASE_URL: database.url, QUIRE_LOCAL_REDIS_PORT: String(redisPort) }, 'migrate');
      const code = await new Promise<number | null>((r) => launched.once('exit', r));
      expect(output).toContain(`Started redis-server on 127.0.0.1:${redisPort}`);
      expect(code).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('stops with one line naming the fix when no Redis answers and none is on PATH', async () => {
    const redisPort = await freePort();
    const emptyPath = mkdtempSync(join(tmpdir(), 'quire-nopath-'));
    const launched = launch({ PATH: emptyPath, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', QUIRE_LOCAL_REDIS_PORT: String(redisPort) }, 'migrate');
    const code = await new Promise<number | null>((r) => launched.once('exit', r));
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/no redis-server is on PATH: install Redis .* or set REDIS_URL/)]);
    rmSync(emptyPath, { recursive: true, force: true });
  });

  it('refuses invalid configuration naming the variable', async () => {
    const failing = launch({ PORT: 'eighty' }, 'migrate');
    const code = await new Promise<number | null>((r) => failing.once('exit', r));
    expect(code).toBe(1);
    expect(output).toMatch(/PORT/);
  });
});
