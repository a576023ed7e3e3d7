import { ProjectRole } from '@quire/core';
import { startTestApp, TestApp, waitFor } from '@quire/testing';
import { CollabProcess, connectClient, startCollabProcess, synced, TEST_TICKET_SECRET, TestClient, textOf, typeText } from './support';

/** The collab service asks for compaction through the outbox; the worker folds the log into a snapshot. */
describe('collab: compaction jobs', () => {
  let app: TestApp;
  let collab: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    app = await startTestApp({ label: 'compaction', worker: true, env: { COLLAB_TICKET_SECRET: TEST_TICKET_SECRET } });
    collab = await startCollabProcess({ database: app.database, prefix: app.config.redisPrefix }, { env: { COLLAB_COMPACT_EVERY: '10' } });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await collab?.stop();
    await app?.close();
  });

  it('folds the log of a busy document while it is being written, and the text stays whole', async () => {
    const project = await app.project();
    const { user, client } = await app.person([ProjectRole.EDITOR, ProjectRole.AUTHOR], project);
    const [candidate] = await app.dataSource.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'Aletta', 'SELECTED', 'a', 'a') RETURNING id`, [project.id]);
    const id = (await client.data<{ createPortrait: { id: string } }>(`mutation($c: ID!) { createPortrait(candidateId: $c) { id } }`, { c: candidate.id })).createPortrait.id;
    await client.data(`mutation($id: ID!) { setPortraitTeam(portraitId: $id, team: { leadAuthorId: "${user.id}", coAuthorIds: [] }) { id } }`, { id });
    await client.data(`mutation($id: ID!) { transitionPortrait(portraitId: $id, action: START_DRAFTING) { id } }`, { id });
    const t = (await client.data<{ collabTicket: { ticket: string; documentName: string } }>(`mutation($id: ID!) { collabTicket(portraitId: $id) { ticket documentName } }`, { id })).collabTicket;
    const writer = connectClient(collab.url, t.documentName, t.ticket);
    clients.push(writer);
    await synced(writer);

    for (let n = 0; n < 30; n++) {
      typeText(writer.doc, `[${n}]`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const folded = await waitFor(async () => {
      const [row] = await app.dataSource.query(`SELECT snapshot_seq::int AS seq FROM collab_documents WHERE name = $1`, [t.documentName]);
      return row.seq >= 10 ? row.seq : undefined;
    }, 'the worker to compact the log');
    const [{ oldest }] = await app.dataSource.query(`SELECT min(seq)::int AS oldest FROM collab_updates WHERE document_name = $1`, [t.documentName]);
    expect(oldest === null || oldest > folded).toBe(true);

    const reader = connectClient(collab.url, t.documentName, t.ticket);
    clients.push(reader);
    await synced(reader);
    await waitFor(() => textOf(reader.doc) === textOf(writer.doc) || undefined, 'a new client to get the whole text from snapshot and log');
    for (let n = 0; n < 30; n++) expect(textOf(reader.doc)).toContain(`[${n}]`);
  });
});
