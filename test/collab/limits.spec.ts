import { once } from 'node:events';
import WebSocket from 'ws';
import { CloseCode, PermissionDenied } from '@quire/collab-core';
import { waitFor } from '@quire/testing';
import { CollabProcess, CollabWorld, connectClient, createCollabWorld, startCollabProcess, synced, TestClient, ticket, typeText } from './support';

/** The collab service's limits, each closing or refusing only what exceeds it. */
describe('collab: limits', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('limits');
    server = await startCollabProcess(world, {
      env: { COLLAB_MAX_CONNECTIONS_PER_USER: '2', COLLAB_MAX_CONNECTIONS_PER_DOCUMENT: '3', COLLAB_MAX_DOCUMENT_BYTES: '4096', COLLAB_PING_INTERVAL_SECONDS: '0.5' },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  const connect = (userId: string, documentName: string): TestClient => {
    const client = connectClient(server.url, documentName, ticket(userId, documentName));
    clients.push(client);
    return client;
  };

  it('refuses a third connection of one person and a fourth of one document', async () => {
    const people = await Promise.all([0, 1, 2, 3].map(() => world.person(['AUTHOR'])));
    const one = await world.portrait({ lead: people[0], coAuthors: people.slice(1) });
    const two = await world.portrait({ lead: people[0] });
    const [a, b] = [connect(people[0], one.documentName), connect(people[0], two.documentName)];
    await Promise.all([synced(a), synced(b)]);
    const third = connect(people[0], one.documentName);
    await waitFor(() => third.closes[0] || undefined, 'the third connection of one person to be refused');
    expect(third.closes[0].code).toBe(CloseCode.tooManyConnections);

    const [c, d] = [connect(people[1], one.documentName), connect(people[2], one.documentName)];
    await Promise.all([synced(c), synced(d)]);
    const fourth = connect(people[3], one.documentName);
    await waitFor(() => fourth.closes[0] || undefined, 'the fourth connection of one document to be refused');
    expect(fourth.closes[0].code).toBe(CloseCode.tooManyConnections);
    expect([a, b, c, d].every((client) => client.closes.length === 0)).toBe(true);
  });

  it('takes no more updates once a document reached its size limit', async () => {
    const writer = await world.person(['AUTHOR']);
    const { documentName } = await world.portrait({ lead: writer });
    const client = connect(writer, documentName);
    await synced(client);
    for (let i = 0; i < 12; i++) typeText(client.doc, `${'Een lange zin over het leven van de ambtenaar. '.repeat(8)}${i}`);
    await waitFor(() => client.denied.includes(PermissionDenied.documentTooLarge) || undefined, 'the refusal for size');
    const { rows } = await world.pool.query(`SELECT coalesce(sum(length(update)), 0)::int AS bytes FROM collab_updates WHERE document_name = $1`, [documentName]);
    expect(rows[0].bytes).toBeLessThanOrEqual(4096);
    expect(client.closes).toEqual([]);
  });

  it('closes a connection that floods messages before it is admitted', async () => {
    const writer = await world.person(['AUTHOR']);
    const { documentName } = await world.portrait({ lead: writer });
    // The document's load waits until the messages have arrived: on a busy machine access could
    // otherwise be checked and the document loaded before they are read, and they would be admitted.
    const holder = await world.pool.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE collab_documents IN ACCESS EXCLUSIVE MODE');
    try {
      const ws = new WebSocket(`${server.url}/${documentName}?ticket=${encodeURIComponent(ticket(writer, documentName))}`);
      await once(ws, 'open');
      const closed = once(ws, 'close') as Promise<[number]>;
      // Thousands of one-byte messages arrive together, before the connection is admitted.
      for (let i = 0; i < 5000; i++) ws.send(Uint8Array.of(3));
      const [code] = await closed;
      expect(code).toBe(CloseCode.tooManyMessages);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('drops a client that stops answering pings', async () => {
    const writer = await world.person(['AUTHOR']);
    const { documentName } = await world.portrait({ lead: writer });
    const ws = new WebSocket(`${server.url}/${documentName}?ticket=${encodeURIComponent(ticket(writer, documentName))}`, { autoPong: false });
    await once(ws, 'open');
    const [code] = (await once(ws, 'close')) as [number];
    // Terminated without a closing handshake.
    expect(code).toBe(1006);
  });
});
