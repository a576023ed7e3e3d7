import * as Y from 'yjs';
import { waitFor } from '@quire/testing';
import { CloseCode } from '@quire/collab-core';
import { CollabProcess, CollabWorld, connectClient, createCollabWorld, startCollabProcess, synced, TestClient, textOf, ticket } from './support';

describe('collab: loading documents', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('loading');
    server = await startCollabProcess(world);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  it('loads a document once for thirty first connections arriving together, and each gets its text once', async () => {
    const authors = await Promise.all(Array.from({ length: 30 }, () => world.person(['AUTHOR'])));
    const { documentName } = await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) });
    const seed = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Geboren in Leiden, 1848.')]);
    seed.getXmlFragment('default').insert(0, [paragraph]);
    await world.store.load(documentName);
    await world.store.appendAtEnd(documentName, Y.encodeStateAsUpdate(seed));
    const loadsBefore = (await server.metrics())['quire_collab_loads_total'];

    const group = authors.map((author) => connectClient(server.url, documentName, ticket(author, documentName)));
    clients.push(...group);
    await Promise.all(group.map((client) => synced(client)));

    expect((await server.metrics())['quire_collab_loads_total'] - loadsBefore).toBe(1);
    for (const client of group) expect(textOf(client.doc)).toBe('<paragraph>Geboren in Leiden, 1848.</paragraph>');
  });

  it('never stores anything of a document whose load failed, and loads nothing half', async () => {
    const author = await world.person(['AUTHOR']);
    const { documentName } = await world.portrait({ lead: author });
    await world.store.load(documentName);
    // A log entry that is not a Yjs update: loading the document fails.
    await world.pool.query(`INSERT INTO collab_updates (document_name, seq, update) VALUES ($1, 1, $2)`, [documentName, Buffer.from([0xff, 0x07, 0x42])]);
    const tables = async (): Promise<unknown> => (await world.pool.query(
      `SELECT (SELECT json_agg(d ORDER BY d.name) FROM collab_documents d) AS documents, (SELECT json_agg(u ORDER BY u.document_name, u.seq) FROM collab_updates u) AS updates`,
    )).rows[0];
    const stored = await tables();

    const failedBefore = (await server.metrics())['quire_collab_failed_loads_total'];
    const client = connectClient(server.url, documentName, ticket(author, documentName));
    clients.push(client);
    // The client may type before it is admitted: nothing of it is stored either.
    client.doc.getXmlFragment('default').insert(0, [new Y.XmlText('typed while loading')]);
    await waitFor(() => client.closes.some((c) => c.code === CloseCode.loadFailed) || undefined, 'the connection to be closed as not loaded');
    await waitFor(async () => (await server.metrics())['quire_collab_failed_loads_total'] >= failedBefore + 2 || undefined, 'the provider to retry and fail again');
    client.provider.disconnect();

    expect(await tables()).toEqual(stored);
  });
});
