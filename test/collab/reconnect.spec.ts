import * as Y from 'yjs';
import { waitFor } from '@quire/testing';
import {
  appendParagraph, CollabProcess, CollabWorld, connectClient, converged, createCollabWorld, startCollabProcess, storedDoc, synced, TestClient, textOf, ticket, typeText,
} from './support';

/** Clients that were away come back with edits the server lacks and miss edits made meanwhile. */
describe('collab: reconnecting with stale state', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('reconnect');
    server = await startCollabProcess(world);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  it('merges offline edits on reconnect, both ways, and stores them', async () => {
    const [a, b] = await Promise.all([world.person(['AUTHOR']), world.person(['AUTHOR'])]);
    const { documentName } = await world.portrait({ lead: a, coAuthors: [b] });
    const online = connectClient(server.url, documentName, ticket(a, documentName));
    const traveller = connectClient(server.url, documentName, ticket(b, documentName), { quire: true });
    clients.push(online, traveller);
    await Promise.all([synced(online), synced(traveller)]);
    appendParagraph(online.doc, 'Gemeenschappelijk begin.');
    await waitFor(() => converged([online, traveller]) && textOf(traveller.doc).includes('begin') || undefined, 'both to have the start');

    traveller.provider.disconnect();
    appendParagraph(traveller.doc, 'Geschreven in de trein.');
    appendParagraph(online.doc, 'Geschreven op kantoor.');
    await waitFor(async () => textOf(await storedDoc(world, documentName)).includes('kantoor') || undefined, 'the office edit to be stored');

    traveller.provider.connect();
    await waitFor(() => converged([online, traveller]) && textOf(online.doc).includes('trein') || undefined, 'the two to converge after reconnecting');
    // The traveller sees its own edits acknowledged as stored.
    const mine = Y.decodeStateVector(Y.encodeStateVector(traveller.doc)).get(traveller.doc.clientID) ?? 0;
    await waitFor(() => (traveller.saved.get(traveller.doc.clientID) ?? 0) >= mine || undefined, 'the traveller\u2019s edits to be acknowledged as saved');
    expect(textOf(await storedDoc(world, documentName))).toBe(textOf(online.doc));
  });

  it('takes back a client whose document is from before a restart and a compaction, without duplicating text', async () => {
    const [a, b] = await Promise.all([world.person(['AUTHOR']), world.person(['AUTHOR'])]);
    const { documentName } = await world.portrait({ lead: a, coAuthors: [b] });
    const first = connectClient(server.url, documentName, ticket(a, documentName));
    clients.push(first);
    await synced(first);
    appendParagraph(first.doc, 'Eerste sessie.');
    await waitFor(async () => textOf(await storedDoc(world, documentName)).includes('Eerste sessie.') || undefined, 'the first session to be stored');
    // The client keeps its document (as IndexedDB would) while it is away.
    const kept = Y.encodeStateAsUpdate(first.doc);
    first.destroy();

    await server.restart();
    const other = connectClient(server.url, documentName, ticket(b, documentName));
    clients.push(other);
    await synced(other);
    typeText(other.doc, ' Verder geschreven.');
    appendParagraph(other.doc, 'Tweede alinea.');
    await waitFor(async () => textOf(await storedDoc(world, documentName)).includes('Tweede alinea.') || undefined, 'the second session to be stored');
    expect(await world.store.compact(documentName)).not.toBeNull();

    const staleDoc = new Y.Doc();
    Y.applyUpdate(staleDoc, kept);
    appendParagraph(staleDoc, 'Offline toegevoegd.');
    const back = connectClient(server.url, documentName, ticket(a, documentName), { doc: staleDoc });
    clients.push(back);
    await synced(back);
    await waitFor(() => converged([back, other]) && textOf(other.doc).includes('Offline toegevoegd.') || undefined, 'the stale client to converge');
    const text = textOf(back.doc);
    for (const part of ['Eerste sessie.', 'Verder geschreven.', 'Tweede alinea.', 'Offline toegevoegd.']) expect(text.split(part).length - 1).toBe(1);
    await waitFor(async () => textOf(await storedDoc(world, documentName)) === text || undefined, 'the log to hold it all');
  });
});
