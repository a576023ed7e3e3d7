import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Client } from 'pg';
import { cleanRedis, createTestDatabase, freePort, GraphQLClient, removeTestDataDir, TEST_REDIS_URL, TestDatabase, testDataDir, testRedisPrefix, waitFor } from '@quire/testing';
import { connectClient, synced, TestClient, textOf, typeText } from './support';

/** On a laptop, `quire start` serves collaboration on the api's own port, next to GraphQL. */
describe('quire start: collaboration on the api port', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  const prefix = testRedisPrefix('collablaunch');
  const clients: TestClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('collablaunch');
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
    await cleanRedis(prefix);
    removeTestDataDir(prefix);
  });

  it('hands out tickets for ws://<api>/collab and stores what is typed there', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/quire/src/main.ts', 'start'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, PORT: String(port), PUBLIC_URL: url, QUIRE_REDIS_PREFIX: prefix, QUIRE_DATA_DIR: testDataDir(prefix), LOG_LEVEL: 'warn', WEB_DIST_DIR: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(async () => {
      if (child?.exitCode !== null) throw new Error(`quire start exited:\n${output}`);
      return fetch(`${url}/health/ready`).then((r) => r.ok || undefined, () => undefined);
    }, 'quire start to be ready', { timeoutMs: 90_000 });

    const editor = new GraphQLClient(url);
    await editor.data('mutation { signIn(input: { email: "redactie@quire.local", password: "welkom-bij-quire" }) { user { id } } }');
    const author = new GraphQLClient(url);
    const { signIn } = await author.data<{ signIn: { user: { id: string } } }>('mutation { signIn(input: { email: "auteur@quire.local", password: "welkom-bij-quire" }) { user { id } } }');
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const { rows: [candidate] } = await db.query(
      `INSERT INTO candidates (project_id, name, status, match_key, surname_key) SELECT id, 'Willem Drees', 'SELECTED', 'drees', 'drees' FROM projects WHERE slug = 'ambtenaren' RETURNING id`,
    );
    const id = (await editor.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
    await editor.data(`mutation($id: ID!, $lead: ID!) { setPortraitTeam(portraitId: $id, team: { leadAuthorId: $lead, coAuthorIds: [] }) { id } }`, { id, lead: signIn.user.id });
    await editor.data(`mutation($id: ID!) { transitionPortrait(portraitId: $id, action: START_DRAFTING) { id } }`, { id });
    const ticket = (await author.data<{ collabTicket: { ticket: string; url: string; documentName: string; access: string } }>(`mutation($id: ID!) { collabTicket(portraitId: $id) { ticket url documentName access } }`, { id })).collabTicket;
    expect(ticket).toMatchObject({ url: `ws://127.0.0.1:${port}/collab`, access: 'READ_WRITE' });

    const writer = connectClient(ticket.url, ticket.documentName, ticket.ticket);
    clients.push(writer);
    await synced(writer);
    typeText(writer.doc, 'Willem Drees, minister-president.');
    await waitFor(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM collab_updates WHERE document_name = $1`, [ticket.documentName]);
      return rows[0].n > 0 || undefined;
    }, 'the edit to be stored');
    await db.end();
    expect(textOf(writer.doc)).toContain('Drees');
    // GraphQL subscriptions share the port: the api still answers.
    expect((await editor.request('{ projects { slug } }')).status).toBe(200);
  });
});
