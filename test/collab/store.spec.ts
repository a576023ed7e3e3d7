import { Pool } from 'pg';
import * as Y from 'yjs';
import { DocumentStore, mergeIntoState, Sql, sqlOfPool } from '@quire/collab-core';
import { createTestDatabase, TestDatabase } from '@quire/testing';
import { appendParagraph, body, textOf } from './support';

/** The update log in PostgreSQL: positions, compaction, versions, derived text. */
describe('collab: document store', () => {
  let database: TestDatabase;
  let pools: Pool[];
  let store: DocumentStore;
  let n = 0;
  const name = (): string => `portrait:store-${++n}`;

  beforeAll(async () => {
    database = await createTestDatabase('collabstore');
    pools = [0, 1, 2].map(() => new Pool({ connectionString: database.url, max: 4 }).on('error', () => undefined));
    store = new DocumentStore(sqlOfPool(pools[0]));
  });

  afterAll(async () => {
    for (const pool of pools ?? []) await pool.end();
    await database?.drop();
  });

  /** An editing session whose updates are appended one by one, as a collab instance does. */
  const editor = (): { doc: Y.Doc; next: (text: string) => Uint8Array } => {
    const doc = new Y.Doc();
    return {
      doc,
      next: (text) => {
        const before = Y.encodeStateVector(doc);
        appendParagraph(doc, text);
        return Y.encodeStateAsUpdate(doc, before);
      },
    };
  };

  it('gives concurrent appends of several writers gap-free, distinct positions', async () => {
    const doc = name();
    await store.load(doc);
    const writers = pools.map((pool) => ({ store: new DocumentStore(sqlOfPool(pool)), edits: editor() }));
    const seqs = (
      await Promise.all(writers.map(async (w, i) => {
        const got: number[] = [];
        for (let k = 0; k < 20; k++) got.push(await w.store.appendAtEnd(doc, w.edits.next(`w${i}-${k}`)));
        return got;
      }))
    ).flat();
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const loaded = await store.load(doc);
    expect(loaded.seq).toBe(60);
    const merged = new Y.Doc();
    Y.applyUpdate(merged, mergeIntoState(loaded.updates));
    expect(body(merged).length).toBe(60);
  });

  it('appends for many documents in one statement, and none for a document without a record', async () => {
    const [a, b] = [name(), name()];
    await store.load(a);
    await store.load(b);
    const seqs = await store.append([
      { documentName: a, seq: 1, update: editor().next('a') },
      { documentName: b, seq: 1, update: editor().next('b') },
      { documentName: 'portrait:never-loaded', seq: 1, update: editor().next('c') },
    ]);
    expect(seqs).toEqual(new Map([[a, 1], [b, 1]]));
  });

  it('refuses a position another writer took or compaction passed, and leaves the document row as it was', async () => {
    const doc = name();
    const edits = editor();
    await store.load(doc);
    const row = async (): Promise<unknown> => (await pools[0].query(`SELECT xmin, snapshot_seq FROM collab_documents WHERE name = $1`, [doc])).rows[0];
    const before = await row();
    expect(await store.append([{ documentName: doc, seq: 1, update: edits.next('eerste') }])).toEqual(new Map([[doc, 1]]));
    expect(await store.append([{ documentName: doc, seq: 1, update: edits.next('ook eerste') }])).toEqual(new Map());
    expect(await row()).toEqual(before);
    await store.append([{ documentName: doc, seq: 2, update: edits.next('tweede') }]);
    expect(await store.compact(doc)).toBe(2);
    // An instance that missed both entries claims position 1 or 2, both folded (and deleted) now.
    for (const seq of [1, 2]) expect(await store.append([{ documentName: doc, seq, update: edits.next(`te laat ${seq}`) }])).toEqual(new Map());
    expect((await store.lastSeqs([doc])).get(doc)).toBe(2);
    expect(await store.append([{ documentName: doc, seq: 3, update: edits.next('derde') }])).toEqual(new Map([[doc, 3]]));
  });

  it('keeps a compaction from moving the snapshot past an entry being appended', async () => {
    const doc = name();
    const edits = editor();
    await store.load(doc);
    await store.appendAtEnd(doc, edits.next('eerste'));
    const appending = await pools[1].connect();
    try {
      await appending.query('BEGIN');
      const inTransaction: Sql = async (text, params) => (await appending.query(text, params)).rows;
      expect(await new DocumentStore(inTransaction).append([{ documentName: doc, seq: 2, update: edits.next('tweede') }])).toEqual(new Map([[doc, 2]]));
      const compaction = store.compact(doc);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await appending.query('COMMIT');
      // The compaction read the log before the entry committed, so it waited and then folded only what it read.
      expect(await compaction).toBe(1);
    } finally {
      appending.release();
    }
    const current = new Y.Doc();
    Y.applyUpdate(current, (await store.currentState(doc)).state);
    expect(textOf(current)).toBe(textOf(edits.doc));
    expect((await store.tail(doc, 0)).updates.map((u) => u.seq)).toEqual([2]);
  });

  it('refuses an append that waited for a compaction which then folded its position', async () => {
    const doc = name();
    const edits = editor();
    await store.load(doc);
    for (const text of ['eerste', 'tweede']) await store.appendAtEnd(doc, edits.next(text));
    const compacting = await pools[1].connect();
    try {
      await compacting.query('BEGIN');
      const inTransaction: Sql = async (text, params) => (await compacting.query(text, params)).rows;
      expect(await new DocumentStore(inTransaction).compact(doc)).toBe(2);
      // An instance that missed entry 2 claims it while the compaction that deletes it is not committed.
      const stale = store.append([{ documentName: doc, seq: 2, update: edits.next('te laat') }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await compacting.query('COMMIT');
      expect(await stale).toEqual(new Map());
    } finally {
      compacting.release();
    }
    expect((await store.tail(doc, 0)).updates).toEqual([]);
  });

  it('folds the log into a snapshot, and a stale compaction changes nothing', async () => {
    const doc = name();
    const edits = editor();
    await store.load(doc);
    for (let k = 0; k < 10; k++) await store.appendAtEnd(doc, edits.next(`alinea ${k}`));

    // A compaction that is overtaken: between reading and writing, another compaction and more edits happen.
    let overtake: (() => Promise<void>) | null = async () => {
      overtake = null;
      expect(await store.compact(doc)).toBe(10);
      for (let k = 10; k < 13; k++) await store.appendAtEnd(doc, edits.next(`alinea ${k}`));
    };
    const slowSql: Sql = async (text, params) => {
      if (text.includes('SET snapshot =') && overtake) await overtake();
      return sqlOfPool(pools[1])(text, params);
    };
    expect(await new DocumentStore(slowSql).compact(doc)).toBeNull();

    const row = (await pools[0].query(`SELECT snapshot_seq FROM collab_documents WHERE name = $1`, [doc])).rows[0];
    expect(row).toEqual({ snapshot_seq: '10' });
    expect((await store.lastSeqs([doc])).get(doc)).toBe(13);
    const entries = (await pools[0].query(`SELECT seq FROM collab_updates WHERE document_name = $1 ORDER BY seq`, [doc])).rows.map((r) => Number(r.seq));
    expect(entries).toEqual([11, 12, 13]);
    const current = new Y.Doc();
    Y.applyUpdate(current, (await store.currentState(doc)).state);
    expect(textOf(current)).toBe(textOf(edits.doc));

    // An instance that had applied up to 4 catches up from the snapshot, then the entries after it.
    const tail = await store.tail(doc, 4);
    expect(tail.snapshot?.seq).toBe(10);
    expect(tail.updates.map((u) => u.seq)).toEqual([11, 12, 13]);
    expect((await store.tail(doc, 12)).snapshot).toBeNull();
  });

  it('restores a version as a forward update: earlier entries stay, and the text is the version\u2019s again', async () => {
    const doc = name();
    const session = new Y.Doc();
    const append = async (): Promise<void> => {
      const state = Y.encodeStateAsUpdate(session, Y.encodeStateVector(await stored()));
      await store.appendAtEnd(doc, state);
    };
    const stored = async (): Promise<Y.Doc> => {
      const d = new Y.Doc();
      Y.applyUpdate(d, (await store.currentState(doc)).state);
      return d;
    };
    await store.load(doc);
    appendParagraph(session, 'Versie een.');
    session.getMap('meta').set('imageCredit', 'Nationaal Archief');
    await append();
    const version = await store.createVersion(doc, { kind: 'SUBMITTED', label: '', createdById: null });
    const versionText = textOf(await stored());

    (body(session).get(0) as Y.XmlElement).delete(0, 1);
    appendParagraph(session, 'Iets heel anders.');
    session.getMap('meta').set('imageCredit', 'Eigen foto');
    await append();
    const entriesBefore = (await pools[0].query(`SELECT seq, update FROM collab_updates WHERE document_name = $1 ORDER BY seq`, [doc])).rows;

    const restored = await store.restoreVersion(doc, version.id);
    expect(restored.seq).toBe(3);
    const after = await stored();
    expect(textOf(after)).toBe(versionText);
    expect(after.getMap('meta').get('imageCredit')).toBe('Nationaal Archief');
    const entriesAfter = (await pools[0].query(`SELECT seq, update FROM collab_updates WHERE document_name = $1 ORDER BY seq`, [doc])).rows;
    expect(entriesAfter.slice(0, 2)).toEqual(entriesBefore);

    // A writer who had the state before the restore merges with it like with any edit.
    Y.applyUpdate(session, restored.update);
    expect(textOf(session)).toBe(versionText);
    const named = await store.version(version.id);
    expect(named).not.toBeNull();
    expect(DocumentStore.versionText((named as NonNullable<typeof named>).state).plainText).toBe('Versie een.');
  });

  it('keeps derived text of the newest position only', async () => {
    const doc = name();
    await store.load(doc);
    const other = name();
    await store.load(other);
    const headings = [{ level: 2, text: 'Jeugd "in" Delft' }];
    expect(await store.saveDerivedTexts([{ name: doc, seq: 5, derived: { plainText: 'nieuw', wordCount: 1, headings: [] } }, { name: other, seq: 2, derived: { plainText: 'ander {stuk}', wordCount: 2, headings } }])).toEqual(new Set());
    expect(await store.saveDerivedTexts([{ name: doc, seq: 3, derived: { plainText: 'oud en verouderd', wordCount: 3, headings: [] } }])).toEqual(new Set());
    const stored = await store.derivedTexts([doc, other]);
    expect(stored.get(doc)).toMatchObject({ plainText: 'nieuw', wordCount: 1, seq: 5 });
    expect(stored.get(other)).toMatchObject({ plainText: 'ander {stuk}', wordCount: 2, headings, seq: 2 });
  });

  it('stores derived text while an append holds the document, and leaves a document being compacted for another try, without waiting', async () => {
    const appended = name();
    const compacted = name();
    const edits = editor();
    for (const doc of [appended, compacted]) await store.load(doc);
    await store.appendAtEnd(compacted, edits.next('eerste'));
    const [appending, compacting] = [await pools[1].connect(), await pools[1].connect()];
    try {
      for (const client of [appending, compacting]) await client.query('BEGIN');
      const inTransaction = (client: typeof appending): Sql => async (text, params) => (await client.query(text, params)).rows;
      await new DocumentStore(inTransaction(appending)).append([{ documentName: appended, seq: 1, update: editor().next('bezig') }]);
      expect(await new DocumentStore(inTransaction(compacting)).compact(compacted)).toBe(1);
      const texts = [appended, compacted].map((doc) => ({ name: doc, seq: 1, derived: { plainText: doc, wordCount: 1, headings: [] } }));
      expect(await store.saveDerivedTexts(texts)).toEqual(new Set([compacted]));
    } finally {
      for (const client of [appending, compacting]) {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    const stored = await store.derivedTexts([appended, compacted]);
    expect(stored.get(appended)).toMatchObject({ plainText: appended, seq: 1 });
    expect(stored.get(compacted)).toMatchObject({ plainText: '', seq: 0 });
  });
});
