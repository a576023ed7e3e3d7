import * as Y from 'yjs';
import { DerivedText, deriveText } from './derive';
import { Sql } from './sql';
import { revertUpdate } from './versions';

/** A document as stored: its snapshot and the log entries after it, in order. */
export interface StoredDocument {
  /** The snapshot (if any) first, then every later log entry. */
  updates: Uint8Array[];
  /** The newest log entry these cover. */
  seq: number;
  snapshotSeq: number;
  /** Bytes of the snapshot and the entries together. */
  bytes: number;
}

/** Log entries after a given position, for an instance that missed some. */
export interface LogTail {
  /** Present when the log was compacted past the position asked for: it covers up to its seq. */
  snapshot: { seq: number; state: Uint8Array } | null;
  updates: { seq: number; update: Uint8Array }[];
}

export interface VersionRecord {
  id: string;
  documentName: string;
  kind: string;
  label: string;
  seq: number;
  createdById: string | null;
  createdAt: Date;
}

export interface StoredDerivedText extends DerivedText {
  documentName: string;
  seq: number;
}

type Entry = { kind: number; seq: number; data: Buffer | null };

/** A writer appending at the end gives up after losing this many positions in a row (under READ COMMITTED each try sees the winners). */
const MOST_APPEND_AT_END_ATTEMPTS = 100;

/**
 * The update log and everything derived from it, in PostgreSQL. Per document, log positions have
 * no gaps and commit in order: "everything after seq N" is a complete answer, which is what
 * catching up and compaction rely on. An appender claims the position after the newest one it
 * knows to be committed; the log's primary key lets only one appender have it, so entry N + 1 is
 * only ever written once entry N committed. Appends write nothing but the log entries: the
 * document row is only checked and key-share-locked, so it gets no dead version per append. That
 * lock lets derived text be stored meanwhile, but not a compaction, which locks the row for update
 * first: the snapshot cannot move past an entry being appended.
 */
export class DocumentStore {
  constructor(private readonly sql: Sql) {}

  /** The document as stored, creating its (empty) record on first use. */
  async load(name: string): Promise<StoredDocument> {
    let entries = await this.entries(name);
    if (entries.length === 0) {
      await this.sql(`INSERT INTO collab_documents (name) VALUES ($1) ON CONFLICT DO NOTHING`, [name]);
      entries = await this.entries(name);
    }
    const [head, ...log] = entries;
    const updates = [head.data, ...log.map((e) => e.data)].filter((u): u is Buffer => u !== null);
    return {
      updates,
      seq: log.length ? log[log.length - 1].seq : head.seq,
      snapshotSeq: head.seq,
      bytes: updates.reduce((sum, u) => sum + u.length, 0),
    };
  }

  /**
   * Appends one update per document, each at the position given, in one statement (one round
   * trip, one commit). Returns the documents whose update is stored, with its position. Left out
   * are those whose position another appender has taken or compaction has passed (the caller
   * catches up from the log and tries the next position) and those without a record. The position
   * must follow an entry known to be committed. Names must be distinct.
   */
  async append(batch: readonly { documentName: string; seq: number; update: Uint8Array }[]): Promise<Map<string, number>> {
    const rows = await this.sql<{ document_name: string; seq: number }>(
      // The document rows are found through their key (a join would scan the table), and their
      // snapshot position is read as locked: the newest, should a compaction have moved it meanwhile.
      `WITH open AS (SELECT d.name, d.snapshot_seq FROM collab_documents d WHERE d.name = ANY($1::text[]) FOR KEY SHARE)
       INSERT INTO collab_updates (document_name, seq, update)
       SELECT b.name, b.seq, b.update FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS b(name, seq, update)
         JOIN open ON open.name = b.name WHERE b.seq > open.snapshot_seq
       ON CONFLICT DO NOTHING
       RETURNING document_name, seq::float8 AS seq`,
      [batch.map((b) => b.documentName), batch.map((b) => b.seq), batch.map((b) => toBuffer(b.update))],
    );
    return new Map(rows.map((r) => [r.document_name, r.seq]));
  }

  /**
   * Appends an update after the newest entry, for a writer that does not follow the log (a
   * restore): one statement reads the position and claims the next one, again while other
   * appenders win. Returns the position; throws for a document without a record.
   */
  async appendAtEnd(name: string, update: Uint8Array): Promise<number> {
    for (let attempt = 0; attempt < MOST_APPEND_AT_END_ATTEMPTS; attempt++) {
      const rows = await this.sql<{ seq: number; stored: boolean }>(
        `WITH doc AS (
           SELECT d.name, greatest(d.snapshot_seq, (SELECT max(u.seq) FROM collab_updates u WHERE u.document_name = d.name)) + 1 AS seq
             FROM collab_documents d WHERE d.name = $1 FOR KEY SHARE OF d),
              stored AS (INSERT INTO collab_updates (document_name, seq, update) SELECT name, seq, $2 FROM doc ON CONFLICT DO NOTHING RETURNING seq)
         SELECT doc.seq::float8 AS seq, EXISTS (SELECT 1 FROM stored) AS stored FROM doc`,
        [name, toBuffer(update)],
      );
      if (rows.length === 0) throw new Error(`Document ${name} has no record`);
      if (rows[0].stored) return rows[0].seq;
    }
    throw new Error(`Document ${name}: other appenders took every position tried`);
  }

  /** Everything after `afterSeq`: the snapshot when compaction has folded entries past it, and the entries still in the log. */
  async tail(name: string, afterSeq: number): Promise<LogTail> {
    const rows = await this.sql<Entry>(
      `SELECT 0 AS kind, snapshot_seq::float8 AS seq, snapshot AS data FROM collab_documents WHERE name = $1 AND snapshot_seq > $2 AND snapshot IS NOT NULL
       UNION ALL
       SELECT 1, seq::float8, update FROM collab_updates WHERE document_name = $1 AND seq > $2
       ORDER BY kind, seq`,
      [name, afterSeq],
    );
    const head = rows[0]?.kind === 0 && rows[0].data ? rows[0] : null;
    return {
      snapshot: head?.data ? { seq: head.seq, state: head.data } : null,
      updates: rows.filter((r) => r.kind === 1 && r.data).map((r) => ({ seq: r.seq, update: r.data as Buffer })),
    };
  }

  /** The newest log position of each document (documents without a record are left out). */
  async lastSeqs(names: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.sql<{ name: string; last_seq: number }>(
      `SELECT d.name, greatest(d.snapshot_seq, (SELECT max(u.seq) FROM collab_updates u WHERE u.document_name = d.name))::float8 AS last_seq
         FROM collab_documents d WHERE d.name = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((r) => [r.name, r.last_seq]));
  }

  /** The document's full state now (snapshot and log merged, garbage collected) and the position it covers. */
  async currentState(name: string): Promise<{ state: Uint8Array; seq: number }> {
    const stored = await this.load(name);
    return { state: mergeIntoState(stored.updates), seq: stored.seq };
  }

  /**
   * Folds the log into the snapshot. The snapshot is written only if nobody moved it since it was
   * read (guarded by the sequence it covered), so a slow or stale compaction never replaces newer
   * state; the folded entries are deleted after. Safe without a transaction too: entries at or
   * below the snapshot's position are ignored by every reader. Returns the position now covered,
   * or null when there was nothing to fold or another compaction won.
   */
  async compact(name: string): Promise<number | null> {
    const stored = await this.load(name);
    if (stored.seq === stored.snapshotSeq) return null;
    const state = mergeIntoState(stored.updates);
    const moved = await this.sql(
      // Locked for update, which waits for the appends in flight (they hold key-share locks); an
      // UPDATE alone would take a lock they do not conflict with.
      `WITH locked AS (SELECT name FROM collab_documents WHERE name = $1 AND snapshot_seq = $4 FOR UPDATE)
       UPDATE collab_documents d SET snapshot = $2, snapshot_seq = $3, updated_at = now() FROM locked WHERE d.name = locked.name RETURNING d.name`,
      [name, toBuffer(state), stored.seq, stored.snapshotSeq],
    );
    if (moved.length === 0) return null;
    await this.sql(`DELETE FROM collab_updates WHERE document_name = $1 AND seq <= $2`, [name, stored.seq]);
    return stored.seq;
  }

  /**
   * Stores text derived from each document at log position `seq`, in one statement, unless newer
   * text is stored already. A document being compacted at that moment is left alone (its row is
   * locked until the compaction commits, and waiting would hold a connection the appends need): its
   * name is returned, for another try. Names must be distinct.
   */
  async saveDerivedTexts(texts: readonly { name: string; seq: number; derived: DerivedText }[]): Promise<Set<string>> {
    const rows = await this.sql<{ name: string }>(
      `WITH texts AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::text[]) AS t(name, seq, plain_text, word_count, headings)),
            free AS (SELECT d.name FROM collab_documents d JOIN texts ON texts.name = d.name FOR NO KEY UPDATE OF d SKIP LOCKED),
            saved AS (
              UPDATE collab_documents d
                 SET plain_text = texts.plain_text, word_count = texts.word_count, headings = texts.headings::jsonb, derived_seq = texts.seq, updated_at = now()
                FROM texts JOIN free ON free.name = texts.name
               WHERE d.name = texts.name AND d.derived_seq < texts.seq)
       SELECT texts.name FROM texts JOIN collab_documents d ON d.name = texts.name WHERE texts.name NOT IN (SELECT name FROM free)`,
      [
        texts.map((t) => t.name),
        texts.map((t) => t.seq),
        texts.map((t) => t.derived.plainText),
        texts.map((t) => t.derived.wordCount),
        texts.map((t) => JSON.stringify(t.derived.headings)),
      ],
    );
    return new Set(rows.map((r) => r.name));
  }

  async derivedTexts(names: readonly string[]): Promise<Map<string, StoredDerivedText>> {
    const rows = await this.sql<{ name: string; plain_text: string; word_count: number; headings: { level: number; text: string }[]; derived_seq: number }>(
      `SELECT name, plain_text, word_count, headings, derived_seq::float8 AS derived_seq FROM collab_documents WHERE name = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((r) => [r.name, { documentName: r.name, plainText: r.plain_text, wordCount: r.word_count, headings: r.headings, seq: r.derived_seq }]));
  }

  /** A named version: the document's full state now, with a kind and a label. */
  async createVersion(name: string, version: { kind: string; label: string; createdById: string | null }): Promise<VersionRecord> {
    const { state, seq } = await this.currentState(name);
    const rows = await this.sql<VersionRow>(
      `INSERT INTO collab_versions (document_name, kind, label, seq, state, created_by_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${VERSION_COLUMNS}`,
      [name, version.kind, version.label, seq, toBuffer(state), version.createdById],
    );
    return toVersion(rows[0]);
  }

  /** Versions of a document, newest first. */
  async versions(name: string, limit = 100): Promise<VersionRecord[]> {
    const rows = await this.sql<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM collab_versions WHERE document_name = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [name, limit]);
    return rows.map(toVersion);
  }

  async version(id: string): Promise<(VersionRecord & { state: Uint8Array }) | null> {
    const rows = await this.sql<VersionRow & { state: Buffer }>(`SELECT ${VERSION_COLUMNS}, state FROM collab_versions WHERE id = $1`, [id]);
    return rows[0] ? { ...toVersion(rows[0]), state: rows[0].state } : null;
  }

  /**
   * Restores a version as a forward update appended to the log (see `revertUpdate`). Returns the
   * update and its position, for the caller to announce to the collab instances once committed.
   */
  async restoreVersion(name: string, versionId: string): Promise<{ seq: number; update: Uint8Array }> {
    const version = await this.version(versionId);
    if (!version || version.documentName !== name) throw new Error(`Version ${versionId} is not a version of ${name}`);
    const current = await this.currentState(name);
    const update = revertUpdate(current.state, version.state);
    return { seq: await this.appendAtEnd(name, update), update };
  }

  /** Text of a version, derived as for the live document. */
  static versionText(state: Uint8Array): DerivedText {
    const doc = docOf([state]);
    const derived = deriveText(doc);
    doc.destroy();
    return derived;
  }

  private entries(name: string): Promise<Entry[]> {
    // One statement, so the snapshot and the entries after it come from one consistent view.
    return this.sql<Entry>(
      `SELECT 0 AS kind, snapshot_seq::float8 AS seq, snapshot AS data FROM collab_documents WHERE name = $1
       UNION ALL
       SELECT 1, u.seq::float8, u.update FROM collab_updates u JOIN collab_documents d ON d.name = u.document_name
        WHERE u.document_name = $1 AND u.seq > d.snapshot_seq
       ORDER BY kind, seq`,
      [name],
    );
  }
}

type VersionRow = { id: string; document_name: string; kind: string; label: string; seq: number; created_by_id: string | null; created_at: Date };
const VERSION_COLUMNS = `id, document_name, kind, label, seq::float8 AS seq, created_by_id, created_at`;

function toVersion(row: VersionRow): VersionRecord {
  return { id: row.id, documentName: row.document_name, kind: row.kind, label: row.label, seq: row.seq, createdById: row.created_by_id, createdAt: row.created_at };
}

/** A document from stored updates, applied in one transaction. */
export function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/** Updates merged into one garbage-collected state: deleted content is dropped, unlike Y.mergeUpdates. */
export function mergeIntoState(updates: readonly Uint8Array[]): Uint8Array {
  const doc = docOf(updates);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** pg sends Buffers as bytea; a Uint8Array would be sent as text. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
