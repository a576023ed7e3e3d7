import { startPrivateRedis, waitFor } from '@quire/testing';
import {
  CollabProcess, CollabWorld, connectClient, containsAll, converged, createCollabWorld, sleep, startCollabProcess, startFailoverProxy, storedDoc, synced, TestClient, textOf, ticket, typeText,
} from './support';

/** Several collab instances serve one document together through Redis. */
describe('collab: several instances', () => {
  let world: CollabWorld;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('failover');
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await world?.close();
  });

  it('moves the clients of a killed instance to the other without losing anything', async () => {
    const a = await startCollabProcess(world);
    const b = await startCollabProcess(world);
    // Clients of group A reach instance A through a load balancer that falls back to B.
    const balancer = await startFailoverProxy([a.port, b.port]);
    try {
      const authors = await Promise.all(Array.from({ length: 6 }, () => world.person(['AUTHOR'])));
      const { documentName } = await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) });
      const viaA = authors.slice(0, 3).map((author) => connectClient(`ws://127.0.0.1:${balancer.port}/collab`, documentName, ticket(author, documentName)));
      const onB = authors.slice(3).map((author) => connectClient(b.url, documentName, ticket(author, documentName)));
      const group = [...viaA, ...onB];
      clients.push(...group);
      await Promise.all(group.map((client) => synced(client)));

      const typed: string[] = [];
      const type = (round: number): void => group.forEach((client, i) => {
        const token = `[i${i}-${round}]`;
        typed.push(token);
        typeText(client.doc, token);
      });
      for (let round = 0; round < 5; round++) {
        type(round);
        await sleep(20);
      }
      // Live across instances: writers on A see writers on B and the other way round.
      await waitFor(() => converged(group) && typed.every((t) => textOf(group[0].doc).includes(t)) || undefined, 'both instances\u2019 clients to converge');

      for (let round = 5; round < 10; round++) {
        type(round);
        await sleep(5);
      }
      await a.kill();
      const received = group.flatMap((client) => [...client.received]);
      expect(containsAll(await storedDoc(world, documentName), received)).toBe(true);
      for (let round = 10; round < 15; round++) {
        type(round);
        await sleep(20);
      }

      await waitFor(() => converged(group) && typed.every((t) => textOf(group[0].doc).includes(t)) || undefined, 'A\u2019s clients to move to B and converge', { timeoutMs: 60_000 });
      const text = textOf(group[0].doc);
      for (const token of typed) expect(text.split(token).length - 1).toBe(1);
      await waitFor(async () => textOf(await storedDoc(world, documentName)) === text || undefined, 'the log to hold everything');
      await b.stop();
    } finally {
      await balancer.close();
      await a.stop();
      await b.stop();
    }
  });

  it('catches up from the update log when Redis drops the fan-out, before it serves', async () => {
    const redis = await startPrivateRedis();
    let a: CollabProcess | undefined;
    let b: CollabProcess | undefined;
    try {
      a = await startCollabProcess(world, { redisUrl: redis.url });
      b = await startCollabProcess(world, { redisUrl: redis.url });
      const [writer, reader] = await Promise.all([world.person(['AUTHOR']), world.person(['MEMBER'])]);
      const { documentName } = await world.portrait({ lead: writer });
      const onA = connectClient(a.url, documentName, ticket(writer, documentName));
      const onB = connectClient(b.url, documentName, ticket(reader, documentName));
      clients.push(onA, onB);
      await Promise.all([synced(onA), synced(onB)]);
      typeText(onA.doc, 'Voor de storing.');
      await waitFor(() => textOf(onB.doc).includes('Voor de storing.') || undefined, 'fan-out over Redis');

      // Redis is gone: nothing fans out, so B must find A's edits in the log.
      await redis.kill();
      typeText(onA.doc, ' Tijdens de storing.');
      await waitFor(() => textOf(onB.doc).includes('Tijdens de storing.') || undefined, 'B to catch up from the log without Redis');

      // A new client of B while Redis is still down gets everything in its first sync.
      const late = connectClient(b.url, documentName, ticket(reader, documentName));
      clients.push(late);
      await synced(late);
      await waitFor(() => textOf(late.doc).includes('Tijdens de storing.') || undefined, 'the new client to get what B caught up');

      await redis.restart();
      typeText(onA.doc, ' Na de storing.');
      await waitFor(() => textOf(onB.doc).includes('Na de storing.') || undefined, 'fan-out again after Redis returned');
      // B's two clients get the update in the same turn, but each socket delivers it on its own.
      await waitFor(() => converged([onA, onB, late]) || undefined, 'all three clients to hold the same text');
    } finally {
      await a?.stop();
      await b?.stop();
      await redis.stop();
    }
  });
});
