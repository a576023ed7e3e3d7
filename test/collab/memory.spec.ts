import { Redis } from 'ioredis';
import { TEST_REDIS_URL, waitFor } from '@quire/testing';
import { CollabProcess, CollabWorld, connectClient, createCollabWorld, startCollabProcess, synced, TestClient, ticket, typeText } from './support';

/**
 * After everyone leaves, an instance holds nothing of the documents: they are unloaded, their
 * channels unsubscribed, and the heap (after a collection) is back where it was before.
 */
describe('collab: resources after everyone leaves', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  let redis: Redis;

  beforeAll(async () => {
    world = await createCollabWorld('memory');
    server = await startCollabProcess(world, { exposeGc: true, env: { COLLAB_UNLOAD_DELAY_MS: '100' } });
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    await world?.close();
  });

  const session = async (documents: number, perDocument: number): Promise<void> => {
    const clients: TestClient[] = [];
    try {
      for (let d = 0; d < documents; d++) {
        const authors = await Promise.all(Array.from({ length: perDocument }, () => world.person(['AUTHOR'])));
        const { documentName } = await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) });
        for (const author of authors) clients.push(connectClient(server.url, documentName, ticket(author, documentName)));
      }
      await Promise.all(clients.map((client) => synced(client)));
      const storedBefore = (await server.metrics())['quire_collab_stored_updates_total'];
      clients.forEach((client, i) => {
        client.provider.awareness.setLocalStateField('user', { name: `Writer ${i}`, color: '#336699' });
        for (let n = 0; n < 5; n++) typeText(client.doc, `Zin ${n} van schrijver ${i}. `);
      });
      await waitFor(async () => (await server.metrics())['quire_collab_stored_updates_total'] >= storedBefore + clients.length * 5 || undefined, 'the edits to be stored');
    } finally {
      for (const client of clients) client.destroy();
    }
    await waitFor(async () => {
      const m = await server.metrics();
      return (m['quire_collab_open_documents'] === 0 && m['quire_collab_connections'] === 0) || undefined;
    }, 'every document to be unloaded');
  };

  const heapAfterCollection = async (): Promise<number> => {
    let heap = Infinity;
    for (let i = 0; i < 3; i++) heap = Math.min(heap, (await server.metrics({ gc: true }))['quire_collab_heap_used_bytes']);
    return heap;
  };

  it('unloads every document, unsubscribes, and returns the heap to its baseline', async () => {
    // A first session of the same size compiles the code paths and grows pools and tables to size.
    await session(40, 5);
    const baseline = await heapAfterCollection();

    await session(40, 5);

    const metrics = await server.metrics();
    expect(metrics['quire_collab_open_documents']).toBe(0);
    expect(metrics['quire_collab_connections']).toBe(0);
    expect(await redis.pubsub('CHANNELS', `${world.prefix}:collab:*`)).toEqual([]);
    const after = await heapAfterCollection();
    // 40 documents and 200 connections held several MB while open; what is left is noise.
    expect(after - baseline).toBeLessThan(1024 * 1024);
  });
});
