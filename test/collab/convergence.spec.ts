import { waitFor } from '@quire/testing';
import {
  appendParagraph, CollabProcess, CollabWorld, connectClient, converged, createCollabWorld, sleep, startCollabProcess, storedDoc, synced, TestClient, textOf, ticket, typeText,
} from './support';

/** Many stock y-websocket providers edit two portraits at once, through a collab process. */
describe('collab: convergence of many clients', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('converge');
    server = await startCollabProcess(world);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  /** The group's clients hold the same text, with each token once, and so does the update log. */
  async function expectConvergedAndStored(group: TestClient[], tokens: string[], documentName: string): Promise<void> {
    await waitFor(() => converged(group) && tokens.every((token) => textOf(group[0].doc).includes(token)), `the writers of ${documentName} to converge`);
    const text = textOf(group[0].doc);
    for (const token of tokens) expect(text.split(token).length - 1).toBe(1);
    const stored = await waitFor(async () => {
      const doc = await storedDoc(world, documentName);
      return textOf(doc) === text ? doc : undefined;
    }, 'the update log to hold the converged text');
    expect(textOf(stored)).toBe(text);
  }

  it('gives 24 concurrent writers on two documents the same text, the text the update log holds, with every edit once', async () => {
    const authors = await Promise.all(Array.from({ length: 12 }, () => world.person(['AUTHOR'])));
    const portraits = [
      await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) }),
      await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) }),
    ];
    for (const portrait of portraits) for (const author of authors) clients.push(connectClient(server.url, portrait.documentName, ticket(author, portrait.documentName)));
    await Promise.all(clients.map((client) => synced(client)));

    const tokens: string[] = [];
    for (let round = 0; round < 8; round++) {
      clients.forEach((client, i) => {
        const token = `[c${i}-r${round}]`;
        tokens.push(token);
        if (round % 3 === 0) appendParagraph(client.doc, token);
        else typeText(client.doc, token);
      });
      await sleep(15);
    }

    for (const [index, portrait] of portraits.entries()) {
      const group = clients.filter((_, i) => Math.floor(i / authors.length) === index);
      const own = tokens.filter((token) => group.some((_, i) => token.startsWith(`[c${index * authors.length + i}-`)));
      await expectConvergedAndStored(group, own, portrait.documentName);
    }
  });

  it('relays to a document with more clients than one turn takes in turns, and its 40 writers converge with every edit once', async () => {
    const authors = await Promise.all(Array.from({ length: 40 }, () => world.person(['AUTHOR'])));
    const portrait = await world.portrait({ lead: authors[0], coAuthors: authors.slice(1) });
    const group = authors.map((author) => connectClient(server.url, portrait.documentName, ticket(author, portrait.documentName)));
    clients.push(...group);
    await Promise.all(group.map((client) => synced(client)));

    const tokens: string[] = [];
    for (let round = 0; round < 5; round++) {
      group.forEach((client, i) => {
        const token = `[m${i}-r${round}]`;
        tokens.push(token);
        typeText(client.doc, token);
      });
      await sleep(5);
    }
    await expectConvergedAndStored(group, tokens, portrait.documentName);
  });
});
