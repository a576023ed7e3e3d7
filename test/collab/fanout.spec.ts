import { Redis } from 'ioredis';
import { decodeFanoutMessage, documentChannel, encodeFanoutMessage, FanoutEvent } from '@quire/collab-core';
import { TEST_REDIS_URL, waitFor } from '@quire/testing';
import { CollabProcess, CollabWorld, connectClient, createCollabWorld, sleep, startCollabProcess, synced, TestClient, textOf, ticket, typeText } from './support';

/**
 * An instance that has a document to itself publishes none of its updates (Redis said nobody else
 * received them); an instance that opens the document announces itself, is told the log position
 * (to read what it missed from the log) and is then published to as before.
 */
describe('collab: fan-out to instances that open a document later', () => {
  let world: CollabWorld;
  let first: CollabProcess;
  let second: CollabProcess | undefined;
  let listener: Redis;
  const clients: TestClient[] = [];
  const heard: FanoutEvent[] = [];
  let author: string;
  let documentName: string;

  beforeAll(async () => {
    world = await createCollabWorld('fanout');
    first = await startCollabProcess(world);
    author = await world.person(['AUTHOR']);
    documentName = (await world.portrait({ lead: author })).documentName;
    listener = new Redis(TEST_REDIS_URL);
    listener.on('messageBuffer', (_channel: Buffer, message: Buffer) => heard.push(decodeFanoutMessage(message).event));
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    listener?.disconnect();
    await second?.stop();
    await first?.stop();
    await world?.close();
  });

  const connect = (instance: CollabProcess): TestClient => {
    const client = connectClient(instance.url, documentName, ticket(author, documentName));
    clients.push(client);
    return client;
  };

  it('stops publishing a document nobody else has open, and answers an announcement with the log position', async () => {
    const writer = connect(first);
    await synced(writer);
    typeText(writer.doc, 'Alleen ');
    await sleep(300);
    // Listening without announcing itself, as an instance that has not opened the document yet.
    await listener.subscribe(documentChannel(world.prefix, documentName));
    typeText(writer.doc, 'op de wereld ');
    await waitFor(async () => ((await world.store.lastSeqs([documentName])).get(documentName) ?? 0) >= 2 || undefined, 'both edits to be stored');
    await sleep(300);
    expect(heard.filter((event) => event.kind === 'update')).toEqual([]);

    const newcomer = new Redis(TEST_REDIS_URL);
    expect(await newcomer.publish(documentChannel(world.prefix, documentName), encodeFanoutMessage('a-newcomer', { kind: 'opened' }))).toBe(2);
    newcomer.disconnect();
    const stored = (await world.store.lastSeqs([documentName])).get(documentName);
    await waitFor(() => heard.find((event) => event.kind === 'log-position'), 'the log position');
    expect(heard.find((event) => event.kind === 'log-position')).toEqual({ kind: 'log-position', seq: stored });

    typeText(writer.doc, 'niet meer');
    await waitFor(() => heard.find((event) => event.kind === 'update'), 'the next update to be published again');
    await listener.unsubscribe();
  });

  it('relays live to a second instance that opens the document, every edit within moments', async () => {
    second = await startCollabProcess(world);
    const writer = clients[0];
    const reader = connect(second);
    await synced(reader);
    await waitFor(() => textOf(reader.doc) === textOf(writer.doc) || undefined, 'the reader to hold what was written before');
    // Without publishing, the second instance would find these only by its check of the log each second.
    for (let i = 0; i < 8; i++) {
      const marker = ` [${i}]`;
      const sentAt = Date.now();
      typeText(writer.doc, marker);
      await waitFor(() => textOf(reader.doc).includes(marker) || undefined, `edit ${i} to reach the other instance`);
      expect(Date.now() - sentAt).toBeLessThan(400);
      await sleep(150);
    }
  });
});
