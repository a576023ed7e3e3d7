import { CloseCode } from '@quire/collab-core';
import { waitFor } from '@quire/testing';
import { CollabProcess, CollabWorld, connectClient, converged, createCollabWorld, sleep, startCollabProcess, storedDoc, synced, TestClient, textOf, ticket, typeText } from './support';

/**
 * Clients are only ever served what is stored. PostgreSQL refuses an edit (a trigger refuses log
 * entries carrying a marker word): it is given back to its writer, whose connection closes as not
 * saved; nobody else ever gets it, a client joining meanwhile included (the instance holds each
 * document once, so it must drop the refused edit from it); the others write on; and once storing
 * works again the writer's provider sends it again and everyone converges on it. And an edit on
 * its way to the log (appends held by a lock) is not served to a client joining meanwhile.
 */
describe('collab: edits not stored (yet)', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('notstored');
    server = await startCollabProcess(world);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  it('gives them back to their writer, shows them to nobody else, and stores them when sent again', async () => {
    const [lead, coAuthor] = await Promise.all([world.person(['AUTHOR']), world.person(['AUTHOR'])]);
    const { documentName } = await world.portrait({ lead, coAuthors: [coAuthor] });
    const writer = connectClient(server.url, documentName, ticket(lead, documentName));
    const other = connectClient(server.url, documentName, ticket(coAuthor, documentName));
    clients.push(writer, other);
    await Promise.all([synced(writer), synced(other)]);
    typeText(writer.doc, 'Bewaard. ');
    await waitFor(() => textOf(other.doc).includes('Bewaard.') || undefined, 'the first edit to reach the other author');

    await world.pool.query(`CREATE FUNCTION refuse_marked_updates() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF position('WEIGERING'::bytea IN NEW.update) > 0 THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$`);
    await world.pool.query(`CREATE TRIGGER refuse_marked_updates BEFORE INSERT ON collab_updates FOR EACH ROW EXECUTE FUNCTION refuse_marked_updates()`);
    // The writer keeps its edit and stays away until storing works again (its provider would send it again at once).
    writer.provider.on('connection-close', (event: { code: number } | null) => {
      if (event?.code === CloseCode.notSaved) writer.provider.disconnect();
    });
    typeText(writer.doc, 'WEIGERING ');
    await waitFor(() => writer.closes.some((c) => c.code === CloseCode.notSaved) || undefined, 'the writer to be told its edit was not stored', { timeoutMs: 30_000 });

    typeText(other.doc, 'Verder. ');
    await waitFor(async () => textOf(await storedDoc(world, documentName)).includes('Verder.') || undefined, 'the other author to write on');
    const joining = connectClient(server.url, documentName, ticket(coAuthor, documentName));
    clients.push(joining);
    await synced(joining);
    await waitFor(() => textOf(joining.doc).includes('Verder.') || undefined, 'the joining client to get the stored text');
    for (const client of [other, joining]) expect(textOf(client.doc)).not.toContain('WEIGERING');
    expect(textOf(await storedDoc(world, documentName))).not.toContain('WEIGERING');
    expect(textOf(writer.doc)).toContain('WEIGERING');

    await world.pool.query(`DROP TRIGGER refuse_marked_updates ON collab_updates; DROP FUNCTION refuse_marked_updates()`);
    writer.provider.connect();
    const everyone = [writer, other, joining];
    await waitFor(() => (everyone.every((c) => textOf(c.doc).includes('WEIGERING')) && converged(everyone)) || undefined, 'everyone to converge on the edit sent again', { timeoutMs: 30_000 });
    expect(textOf(await storedDoc(world, documentName))).toBe(textOf(other.doc));
  });

  it('serves a client joining while an edit waits to be stored only what is stored, then the edit', async () => {
    const [lead, coAuthor] = await Promise.all([world.person(['AUTHOR']), world.person(['AUTHOR'])]);
    const { documentName } = await world.portrait({ lead, coAuthors: [coAuthor] });
    const writer = connectClient(server.url, documentName, ticket(lead, documentName));
    clients.push(writer);
    await synced(writer);
    typeText(writer.doc, 'Eerst. ');
    await waitFor(async () => textOf(await storedDoc(world, documentName)).includes('Eerst.') || undefined, 'the first edit to be stored');

    // Appends wait for this lock (reads do not): the next edit stays on its way to the log.
    const holder = await world.pool.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE collab_updates IN EXCLUSIVE MODE');
    let joining: TestClient;
    try {
      typeText(writer.doc, 'ONDERWEG ');
      await sleep(100);
      joining = connectClient(server.url, documentName, ticket(coAuthor, documentName));
      clients.push(joining);
      await synced(joining);
      expect(textOf(joining.doc)).toContain('Eerst.');
      expect(textOf(joining.doc)).not.toContain('ONDERWEG');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    await waitFor(() => (textOf(joining.doc).includes('ONDERWEG') && converged([writer, joining])) || undefined, 'the edit to reach the joining client once stored');
  });
});
