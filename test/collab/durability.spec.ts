import { waitFor } from '@quire/testing';
import {
  appendParagraph, CollabProcess, CollabWorld, connectClient, containsAll, converged, createCollabWorld, sleep, startCollabProcess, storedDoc, synced, TestClient, textOf, ticket, typeText,
} from './support';

/**
 * The collab process is killed with SIGKILL in the middle of an edit storm. Everything any client
 * received from it must be in the update log at that moment (it stores before it relays), and after
 * a restart the clients, which reconnect by themselves and send what the server lacks, converge on
 * a text where every typed token appears exactly once.
 */
describe('collab: SIGKILL during an edit storm', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('durable');
    server = await startCollabProcess(world);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  it('loses nothing a client received and duplicates nothing after the restart', async () => {
    const authors = await Promise.all(Array.from({ length: 6 }, () => world.person(['AUTHOR'])));
    const { documentName } = await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) });
    for (const author of authors) clients.push(connectClient(server.url, documentName, ticket(author, documentName)));
    await Promise.all(clients.map((client) => synced(client)));

    const typed: string[] = [];
    let storming = true;
    const storms = clients.map(async (client, i) => {
      for (let n = 0; storming; n++) {
        const token = `[w${i}-${n}]`;
        typed.push(token);
        if (n % 10 === 0) appendParagraph(client.doc, token);
        else typeText(client.doc, token);
        await sleep(3 + (i % 4));
      }
    });
    await waitFor(() => clients.every((c) => c.received.length > 20) || undefined, 'every client to receive others\u2019 edits');

    await server.kill();
    const received = clients.flatMap((client) => [...client.received]);
    const stored = await storedDoc(world, documentName);
    expect(received.length).toBeGreaterThan(100);
    expect(containsAll(stored, received)).toBe(true);

    // Writers keep typing while the server is down; their edits wait in their documents.
    await sleep(300);
    storming = false;
    await Promise.all(storms);
    await server.restart();

    await waitFor(() => converged(clients) && typed.every((token) => textOf(clients[0].doc).includes(token)), 'the clients to converge after the restart', { timeoutMs: 60_000 });
    const text = textOf(clients[0].doc);
    for (const token of typed) expect(text.split(token).length - 1).toBe(1);
    await waitFor(async () => textOf(await storedDoc(world, documentName)) === text || undefined, 'the log to hold the converged text');
  });
});
