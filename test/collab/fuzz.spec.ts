import { once } from 'node:events';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '@quire/collab-core';
import { seededRandom, waitFor } from '@quire/testing';
import { CollabProcess, CollabWorld, connectClient, converged, createCollabWorld, startCollabProcess, storedDoc, synced, TestClient, textOf, ticket, typeText } from './support';

const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Fuzzed frames at a live document: random bytes, truncated and bit-flipped messages, garbage in
 * valid envelopes, unknown types, giant lengths, text frames, oversized frames. A frame that is not
 * a well-formed message closes its own connection and leaves the document untouched; the writers
 * connected meanwhile notice nothing, and the document still loads and matches them.
 */
describe('collab: malformed frames', () => {
  let world: CollabWorld;
  let server: CollabProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    world = await createCollabWorld('fuzz');
    server = await startCollabProcess(world, { env: { COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
    await world?.close();
  });

  it('closes only the connection that sent a malformed frame and never changes the document for it', async () => {
    const [lead, coAuthor, fuzzer] = await Promise.all([world.person(['AUTHOR']), world.person(['AUTHOR']), world.person(['AUTHOR'])]);
    const { documentName } = await world.portrait({ lead, coAuthors: [coAuthor, fuzzer] });
    const honest = [connectClient(server.url, documentName, ticket(lead, documentName)), connectClient(server.url, documentName, ticket(coAuthor, documentName))];
    clients.push(...honest);
    await Promise.all(honest.map((client) => synced(client)));
    typeText(honest[0].doc, 'Johan Rudolph Thorbecke schreef de grondwet van 1848.');
    await waitFor(() => converged(honest) && textOf(honest[1].doc).includes('1848') || undefined, 'the honest writers to converge');

    // A genuine update of the fuzzing author, to mutate.
    const sample = new Y.Doc();
    Y.applyUpdate(sample, Y.encodeStateAsUpdate(honest[0].doc));
    const before = Y.encodeStateVector(sample);
    typeText(sample, ' Hij was minister van Binnenlandse Zaken.');
    const genuine = Y.encodeStateAsUpdate(sample, before);
    const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
      const e = encoding.createEncoder();
      write(e);
      return encoding.toUint8Array(e);
    };
    const syncFrame = (step: number, payload: Uint8Array): Uint8Array => frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, payload);
    });

    const random = seededRandom(20260501); // seeded, so a failing frame can be reproduced
    const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const flip = (source: Uint8Array): Uint8Array => {
      const copy = Uint8Array.from(source);
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) copy[Math.floor(random() * copy.length)] ^= 1 << Math.floor(random() * 8);
      return copy;
    };
    const generators: (() => Uint8Array | string)[] = [
      () => bytes(Math.floor(random() * 64)),
      () => bytes(1 + Math.floor(random() * 400)),
      () => syncFrame(2, bytes(Math.floor(random() * 120))),
      () => syncFrame(1, bytes(Math.floor(random() * 120))),
      () => syncFrame(0, bytes(1 + Math.floor(random() * 40))),
      () => syncFrame(2, genuine).slice(0, Math.floor(random() * (genuine.length + 3))),
      () => syncFrame(2, genuine.slice(0, Math.floor(random() * genuine.length))),
      () => syncFrame(2, flip(genuine)),
      () => flip(syncFrame(2, genuine)),
      () => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint(e, 2 ** 40); }),
      () => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 7 + Math.floor(random() * 90)); }),
      () => frame((e) => encoding.writeVarUint(e, 4 + Math.floor(random() * 200))),
      () => frame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, bytes(Math.floor(random() * 60))); }),
      () => frame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, frame((a) => { encoding.writeVarUint(a, 1); encoding.writeVarUint(a, 7); encoding.writeVarUint(a, 1); encoding.writeVarString(a, '{not json'); })); }),
      () => Uint8Array.from([...syncFrame(2, genuine), 0, 0]),
      () => 'text frames are not part of the protocol',
      () => bytes(MAX_MESSAGE_BYTES + 1),
    ];

    const lastSeq = async (): Promise<number> => (await world.store.lastSeqs([documentName])).get(documentName) as number;
    const outcomes = { closedMalformed: 0, closedTooBig: 0, accepted: 0 };
    for (let i = 0; i < 170; i++) {
      const payload = generators[i % generators.length]();
      const ws = new WebSocket(`${server.url}/${documentName}?ticket=${encodeURIComponent(ticket(fuzzer, documentName))}`);
      await once(ws, 'open');
      const seqBefore = await lastSeq();
      const closed = once(ws, 'close') as Promise<[number, Buffer]>;
      ws.send(payload, { binary: typeof payload !== 'string' });
      const outcome = await Promise.race([closed, new Promise<null>((done) => setTimeout(() => done(null), 250))]);
      if (outcome) {
        const [code] = outcome;
        expect([CloseCode.malformed, 1009]).toContain(code);
        if (code === 1009) outcomes.closedTooBig += 1;
        else outcomes.closedMalformed += 1;
        // What was refused never reached the log.
        expect(await lastSeq()).toBe(seqBefore);
      } else {
        // By chance a mutation can be a valid update (a flipped character, say): it is then an edit like any other.
        outcomes.accepted += 1;
        ws.close();
      }
    }
    expect(outcomes.closedMalformed).toBeGreaterThan(120);
    expect(outcomes.closedTooBig).toBeGreaterThan(0);

    // The honest writers were never disturbed and still edit together.
    for (const client of honest) expect(client.closes).toEqual([]);
    typeText(honest[1].doc, ' Einde.');
    await waitFor(() => converged(honest) && textOf(honest[0].doc).includes('Einde.') || undefined, 'the honest writers to converge after the fuzzing');
    const text = textOf(honest[0].doc);
    await waitFor(async () => textOf(await storedDoc(world, documentName)) === text || undefined, 'the stored document to match them');
    const fresh = connectClient(server.url, documentName, ticket(lead, documentName));
    clients.push(fresh);
    await synced(fresh);
    expect(textOf(fresh.doc)).toBe(text);
  });
});
