import { randomUUID } from 'node:crypto';
import { createHistogram, performance } from 'node:perf_hooks';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DerivedText, deriveText } from './derive';
import { docOf, DocumentStore } from './document-store';
import { Fanout, FanoutEvent } from './fanout';
import { CollabSocket, ConnectionHost, ConnectionRequest, HubConnection } from './hub-connection';
import { FROM_ELSEWHERE, HubDocument, PendingUpdate } from './hub-document';
import { CloseCode, CollabLimits, CollabTiming, DEFAULT_LIMITS, DEFAULT_TIMING } from './limits';
import {
  AccessMode, accessMessage, awarenessMessage, isEmptyUpdate, MalformedMessage, parseClientMessage, PermissionDenied, savedMessage, syncStep1Message, syncStep2Message,
} from './protocol';
import { checkUpdate, DocumentPolicy } from './update-check';

/** Decides who may do what in a document; the collab runtime backs it with the domain's rules. */
export interface CollabAuthorizer {
  /** Each user's access to the document now; users without access are left out. Throws UnknownDocument for a name that names nothing. */
  access(documentName: string, userIds: readonly string[]): Promise<Map<string, AccessMode>>;
  /** The same for many documents at once (user ids per document name); documents whose names name nothing are left out. */
  accessToMany(asked: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Map<string, AccessMode>>>;
}

export class UnknownDocument extends Error {
  constructor(documentName: string) {
    super(`There is no document ${documentName}`);
    this.name = 'UnknownDocument';
  }
}

export interface HubLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface CollabHubOptions {
  store: DocumentStore;
  fanout: Fanout;
  authorizer: CollabAuthorizer;
  policy?: DocumentPolicy;
  limits?: Partial<CollabLimits>;
  timing?: Partial<CollabTiming>;
  /** The log of a document has grown by `compactEvery` entries, or its last client left: fold it. */
  onCompactionDue?: (documentName: string) => void;
  logger?: HubLogger;
}

export interface HubStats {
  documents: number;
  connections: number;
  admitting: number;
  /** Updates appended to the log by this instance since it started. */
  storedUpdates: number;
  /** Append statements run by this instance since it started. */
  appends: number;
  /** Documents loaded from the store (however many connections waited for each load). */
  loads: number;
  failedLoads: number;
  /** Milliseconds, over the appends since `restartTimings`: one append statement (PostgreSQL round trip and commit). */
  appendMs: { p50: number; p99: number };
  /**
   * Milliseconds, over the updates since `restartTimings`: from accepting an update to relaying it
   * (waiting for a free append, the append). For a document relayed to in turns, to the
   * relay being started or queued behind the one under way.
   */
  acceptToRelayMs: { p50: number; p99: number };
}

/**
 * Documents whose derived text one statement stores. Appends do not wait for its row locks (only a
 * compaction does), so it is one statement and one commit for many documents.
 */
const DERIVED_TEXTS_PER_STATEMENT = 100;
/**
 * A run of saving derived text starts this long after a document falls due, for the others that
 * fall due meanwhile: documents written in one busy spell fall due milliseconds apart, and each
 * started a run (a statement and a commit) of its own.
 */
const DERIVED_TEXT_GATHER_MS = 100;
const BUSY_DERIVED_TEXT_RETRY_MS = 200;
/** How long a client joining a document being written to waits for a moment nothing of it waits to be stored, before the state is read from the log. */
const STORED_STATE_WAIT_MS = 200;
const REBUILD_RETRY_MS = 200;

const NO_LOG: HubLogger = { warn: () => undefined, error: () => undefined };
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface AppendRound {
  entries: { doc: HubDocument; stored: PendingUpdate[]; update: Uint8Array | null }[];
  /** The position given to each document's update; null when appending failed for good. */
  seqs: Map<string, number> | null;
}

interface DocumentEntry {
  /** Resolves once loaded; every connection that arrives meanwhile waits on the same load. */
  ready: Promise<HubDocument>;
  doc: HubDocument | null;
  /** Fan-out events that arrived while loading, applied after. */
  early: FanoutEvent[];
}

/**
 * The collaboration hub of one instance: framework-free, transport-agnostic. It admits
 * connections (access, limits), loads documents once however many connect at the same moment,
 * speaks the y-websocket protocol, appends every update to the log before any other client sees
 * it (one statement per round for all documents with waiting updates), fans changes out to the
 * other instances and catches up from the log when it missed any, re-checks access when told to,
 * extracts derived text, and unloads documents nobody uses.
 */
export class CollabHub implements ConnectionHost {
  readonly instanceId = randomUUID();
  readonly limits: CollabLimits;
  readonly timing: CollabTiming;
  private readonly store: DocumentStore;
  private readonly fanout: Fanout;
  private readonly authorizer: CollabAuthorizer;
  private readonly policy: DocumentPolicy;
  private readonly logger: HubLogger;
  private readonly documents = new Map<string, DocumentEntry>();
  private readonly connectionsPerUser = new Map<string, number>();
  private readonly waitingToStore = new Set<HubDocument>();
  private admitting = 0;
  private connectionCount = 0;
  private flushesRunning = 0;
  private flushScheduled = false;
  private readonly flushesSettled = new Set<() => void>();
  private storedUpdates = 0;
  private appends = 0;
  private loads = 0;
  private failedLoads = 0;
  private readonly appendTimes = new DurationWindow();
  private readonly relayTimes = new DurationWindow();
  private closing = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private recheckingAccess = false;
  /** Documents whose derived text is due, and the one run saving them. */
  private readonly deriveDue = new Set<HubDocument>();
  private savingDerivedTexts: Promise<void> | null = null;

  constructor(private readonly options: CollabHubOptions) {
    this.store = options.store;
    this.fanout = options.fanout;
    this.authorizer = options.authorizer;
    this.policy = options.policy ?? {};
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.logger = options.logger ?? NO_LOG;
    this.fanout.listen({ event: (name, event) => this.onFanoutEvent(name, event), reconnected: () => this.catchUpAll() });
    this.timers.push(setInterval(() => void this.checkLogPositions(), this.timing.catchUpIntervalMs).unref());
    this.timers.push(setInterval(() => void this.recheckAllAccess(), this.timing.accessRecheckMs).unref());
  }

  get maxQueuedMessages(): number {
    return this.limits.maxQueuedMessages;
  }

  get maxBufferedBytes(): number {
    return this.limits.maxBufferedBytes;
  }

  stats(): HubStats {
    return {
      documents: this.documents.size, connections: this.connectionCount, admitting: this.admitting,
      storedUpdates: this.storedUpdates, appends: this.appends, loads: this.loads, failedLoads: this.failedLoads,
      appendMs: this.appendTimes.quantiles(), acceptToRelayMs: this.relayTimes.quantiles(),
    };
  }

  /** Starts a new window for the timings in `stats` (a scrape of the metrics does, so they cover the time between scrapes). */
  restartTimings(): void {
    this.appendTimes.restart();
    this.relayTimes.restart();
  }

  /** Opens a connection for a client whose ticket checked out; frames go to `receive`, the socket's end to `closed`. */
  connect(socket: CollabSocket, request: ConnectionRequest): HubConnection {
    const connection = new HubConnection(socket, request, this);
    this.connectionCount += 1;
    this.connectionsPerUser.set(request.userId, (this.connectionsPerUser.get(request.userId) ?? 0) + 1);
    if (this.closing) {
      connection.close(CloseCode.serviceRestart, 'This instance is shutting down');
    } else if (this.admitting >= this.limits.maxPendingConnections) {
      connection.close(CloseCode.tryAgainLater, 'Too many connections are opening; try again');
    } else if ((this.connectionsPerUser.get(request.userId) ?? 0) > this.limits.maxConnectionsPerUser) {
      connection.close(CloseCode.tooManyConnections, `At most ${this.limits.maxConnectionsPerUser} connections per person`);
    } else {
      this.admitting += 1;
      void this.admit(connection).finally(() => (this.admitting -= 1));
    }
    return connection;
  }

  handle(connection: HubConnection, frame: Uint8Array): void {
    const doc = connection.doc;
    if (!doc) return;
    if (doc.rebuilding) {
      // Handled in order once the shadow is whole again.
      doc.heldFrames.push({ connection, frame });
      return;
    }
    try {
      const message = parseClientMessage(frame);
      switch (message.kind) {
        case 'sync-step-1':
          this.answerSyncStep1(connection, doc, message.stateVector);
          break;
        case 'sync-step-2':
        case 'update':
          this.accept(connection, doc, message.update);
          break;
        case 'awareness':
          awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, connection);
          break;
        case 'query-awareness':
          connection.send(awarenessMessage(doc.awareness, [...doc.awareness.getStates().keys()]));
          break;
      }
    } catch (error) {
      // Only this connection is closed; the document is as it was (a refused update was tried on the shadow only).
      connection.close(CloseCode.malformed, error instanceof MalformedMessage ? error.message.slice(0, 120) : 'Malformed message');
    }
  }

  detach(connection: HubConnection): void {
    this.connectionCount -= 1;
    const left = (this.connectionsPerUser.get(connection.userId) ?? 1) - 1;
    if (left > 0) this.connectionsPerUser.set(connection.userId, left);
    else this.connectionsPerUser.delete(connection.userId);
    const doc = connection.doc;
    if (!doc || !doc.connections.delete(connection)) return;
    if (connection.awarenessClients.size) awarenessProtocol.removeAwarenessStates(doc.awareness, [...connection.awarenessClients], connection);
    if (doc.connections.size === 0) this.scheduleUnload(doc);
  }

  /**
   * Shuts the hub down: connections are closed as a restart (clients reconnect, to another
   * instance), every accepted update is stored, derived text is saved, documents are unloaded.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    const docs = [...this.documents.values()].map((entry) => entry.doc).filter((doc): doc is HubDocument => doc !== null);
    for (const doc of docs) for (const connection of [...doc.connections]) connection.close(CloseCode.serviceRestart, 'This instance is restarting');
    await this.flushAll();
    await Promise.all(docs.map((doc) => this.unload(doc)));
  }

  // ---- admission and loading ----

  private async admit(connection: HubConnection): Promise<void> {
    const { documentName, userId } = connection.request;
    let mode: AccessMode | undefined;
    try {
      mode = (await this.authorizer.access(documentName, [userId])).get(userId);
    } catch (error) {
      if (error instanceof UnknownDocument) connection.close(CloseCode.unknownDocument, 'No such document');
      else {
        this.logger.warn(`Access check for ${documentName} failed: ${messageOf(error)}`);
        connection.close(CloseCode.loadFailed, 'Access could not be checked; try again');
      }
      return;
    }
    if (!mode) {
      connection.close(CloseCode.forbidden, 'No access to this document');
      return;
    }
    if (connection.isClosed()) return;
    let opened: HubDocument | undefined;
    let stored: Y.Doc;
    try {
      for (;;) {
        opened = await this.open(documentName);
        // Kept loaded while this connection waits for a moment of stored state.
        if (opened.unloadTimer) clearTimeout(opened.unloadTimer);
        opened.unloadTimer = null;
        stored = await this.storedState(opened);
        // Left meanwhile by everyone else and unloaded after all: load it afresh.
        if (!opened.unloading) break;
      }
    } catch (error) {
      this.logger.error(`Loading ${documentName} failed: ${messageOf(error)}`);
      connection.close(CloseCode.loadFailed, 'The document could not be loaded; try again');
      // Its stored state could not be read: the unload this connection held off is due again.
      if (opened && opened.connections.size === 0) this.scheduleUnload(opened);
      return;
    }
    const doc = opened;
    if (connection.isClosed()) {
      if (doc.connections.size === 0) this.scheduleUnload(doc);
      return;
    }
    if (doc.connections.size >= this.limits.maxConnectionsPerDocument) {
      connection.close(CloseCode.tooManyConnections, `At most ${this.limits.maxConnectionsPerDocument} connections per document`);
      if (doc.connections.size === 0) this.scheduleUnload(doc);
      return;
    }
    if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
    doc.unloadTimer = null;
    connection.doc = doc;
    connection.mode = mode;
    connection.state = 'open';
    doc.connections.add(connection);
    connection.send(syncStep1Message(stored));
    if (doc.awareness.getStates().size) connection.send(awarenessMessage(doc.awareness, [...doc.awareness.getStates().keys()]));
    if (connection.request.quireMessages) connection.send(accessMessage(mode));
    const queued = connection.queued;
    connection.queued = [];
    for (const frame of queued) this.handle(connection, frame);
  }

  /** The open document, loading it once however many connections ask at the same moment. */
  private async open(name: string): Promise<HubDocument> {
    for (;;) {
      const existing = this.documents.get(name);
      if (!existing) break;
      const doc = await existing.ready;
      if (!doc.unloading) return doc;
      // It is being unloaded: wait until it is gone, then load it afresh.
      await delay(5);
    }
    const entry: DocumentEntry = { ready: null as unknown as Promise<HubDocument>, doc: null, early: [] };
    entry.ready = this.load(name, entry);
    this.documents.set(name, entry);
    // A failed load leaves nothing behind: the next connection tries again, and nothing was stored.
    entry.ready.catch(() => {
      this.failedLoads += 1;
      if (this.documents.get(name) === entry) this.documents.delete(name);
      void this.fanout.unsubscribe(name);
    });
    return entry.ready;
  }

  private async load(name: string, entry: DocumentEntry): Promise<HubDocument> {
    // Subscribe first, so nothing published between reading the log and subscribing is missed.
    await Promise.race([this.fanout.subscribe(name), delay(1000)]);
    this.loads += 1;
    const stored = await this.store.load(name);
    const doc = new HubDocument(name, stored);
    doc.awareness.on('update', (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => this.onAwarenessChange(doc, changes, origin));
    entry.doc = doc;
    for (const event of entry.early) this.applyFanoutEvent(doc, event);
    entry.early = [];
    return doc;
  }

  private scheduleUnload(doc: HubDocument): void {
    if (doc.unloadTimer || this.closing) return;
    doc.unloadTimer = setTimeout(() => {
      doc.unloadTimer = null;
      void this.unload(doc);
    }, this.timing.unloadDelayMs);
  }

  private async unload(doc: HubDocument): Promise<void> {
    if (doc.connections.size > 0 || doc.unloading) return;
    doc.unloading = true;
    try {
      while (doc.hasUnstoredUpdates()) await this.flushSettled();
      if (doc.catchingUp) await doc.catchingUp;
      if (doc.rebuilding) await doc.rebuilding;
      if (doc.changedSince !== null) await this.saveDerivedTexts([doc]);
      if (doc.appliedSeq > doc.compactionRequestedAt) this.options.onCompactionDue?.(doc.name);
    } catch (error) {
      this.logger.warn(`Unloading ${doc.name}: ${messageOf(error)}`);
    }
    if (doc.connections.size > 0) {
      // Someone joined while the last work was done; keep it.
      doc.unloading = false;
      return;
    }
    // Unsubscribing before the entry goes keeps the order of commands when the document is opened again at once.
    void this.fanout.unsubscribe(doc.name);
    this.documents.delete(doc.name);
    doc.destroy();
  }

  // ---- the protocol ----

  private answerSyncStep1(connection: HubConnection, doc: HubDocument, stateVector: Uint8Array): void {
    void this.storedState(doc).then(
      (stored) => connection.send(syncStep2Message(stored, stateVector)),
      (error) => {
        this.logger.warn(`Reading ${doc.name} for a client failed: ${messageOf(error)}`);
        connection.close(CloseCode.loadFailed, 'The document could not be read; try again');
      },
    );
  }

  /**
   * The document as stored: the shadow at a moment nothing of it waits to be stored (an instance
   * that knows it missed entries catches up first), or, when writes go on without such a moment,
   * read from the log, which holds everything relayed so far.
   */
  private async storedState(doc: HubDocument): Promise<Y.Doc> {
    const deadline = performance.now() + STORED_STATE_WAIT_MS;
    for (;;) {
      if (doc.catchingUp) await doc.catchingUp;
      if (doc.rebuilding) await doc.rebuilding;
      const state = doc.catchingUp ? null : doc.storedState;
      if (state) return state;
      const left = deadline - performance.now();
      if (left <= 0) break;
      await Promise.race([doc.whenSettled(), delay(left)]);
    }
    return docOf((await this.store.load(doc.name)).updates);
  }

  private accept(connection: HubConnection, doc: HubDocument, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (connection.mode !== 'read-write') {
      // Refused and never applied; the client keeps its change until it may write again.
      connection.refuse(PermissionDenied.readOnly);
      return;
    }
    checkUpdate(update, this.policy);
    if (doc.approxBytes + update.length > this.limits.maxDocumentBytes) {
      doc.approxBytes = Y.encodeStateAsUpdate(doc.shadow).length;
      if (doc.approxBytes + update.length > this.limits.maxDocumentBytes) {
        connection.refuse(PermissionDenied.documentTooLarge);
        return;
      }
    }
    let delta: Uint8Array | null;
    try {
      delta = doc.trial(update);
    } catch (error) {
      // It may have left part of itself in the shadow.
      this.rebuildShadow(doc);
      throw error;
    }
    // Counted when accepted, not when stored: updates arriving together must not all pass the limit.
    doc.approxBytes += delta?.length ?? 0;
    const sentVector = connection.request.quireMessages ? reachedVector(doc.shadow, update) : null;
    if (!delta && !sentVector) return;
    doc.pending.push({ update: delta, origin: connection, sentVector, acceptedAt: performance.now() });
    this.waitingToStore.add(doc);
    this.scheduleFlush();
  }

  // ---- storing before relaying ----

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything that arrived in this turn of the event loop goes into one statement.
    setImmediate(() => {
      this.flushScheduled = false;
      this.startFlushes();
    });
  }

  private startFlushes(): void {
    while (this.flushesRunning < this.timing.flushConcurrency && this.waitingToStore.size > 0) {
      const batch: HubDocument[] = [];
      for (const doc of this.waitingToStore) {
        this.waitingToStore.delete(doc);
        // One append at a time per document keeps its entries in the order they were accepted.
        if (doc.inFlight === null && doc.pending.length > 0) batch.push(doc);
      }
      if (batch.length === 0) return;
      this.flushesRunning += 1;
      void this.appendRound(batch).then((round) => {
        this.flushesRunning -= 1;
        for (const doc of batch) if (doc.pending.length > 0) this.waitingToStore.add(doc);
        // The next round's statements go out before this round is relayed: relaying to many
        // clients takes a while, and PostgreSQL can commit meanwhile. This round is relayed in
        // this same turn, so the rounds still go out in order.
        this.startFlushes();
        this.settle(round);
        for (const doc of batch) doc.settled();
        for (const settled of [...this.flushesSettled]) settled();
      });
    }
  }

  /** Appends one merged update per document; `seqs` is null when the append failed for good. */
  private async appendRound(docs: HubDocument[]): Promise<AppendRound> {
    const entries = docs.map((doc) => {
      const stored = doc.pending;
      doc.pending = [];
      doc.inFlight = stored;
      const updates = stored.map((p) => p.update).filter((u): u is Uint8Array => u !== null);
      return { doc, stored, update: updates.length === 0 ? null : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates) };
    });
    const toAppend = entries.filter((e): e is typeof e & { update: Uint8Array } => e.update !== null);
    let seqs: Map<string, number> | null = null;
    try {
      seqs = await this.appendClaimingPositions(toAppend);
    } catch (error) {
      this.logger.error(`Appending to the update log failed, giving the edits back to their clients: ${messageOf(error)}`);
    }
    for (const entry of entries) entry.doc.inFlight = null;
    return { entries, seqs };
  }

  /** A round's outcome: stored updates are applied, relayed and acknowledged; the others given back. */
  private settle({ entries, seqs }: AppendRound): void {
    for (const { doc, stored, update } of entries) {
      if (update) {
        const seq = seqs?.get(doc.name);
        if (seq === undefined) {
          if (seqs) this.logger.error(`Document ${doc.name} has no record, or its log could not be read; its edits are given back`);
          this.giveBack(doc, stored);
          continue;
        }
        this.storedUpdates += stored.length;
        this.stored(doc, seq, update, stored);
      }
      this.acknowledge(stored);
    }
  }

  /**
   * Appends each document's update at the position after the newest one this instance knows.
   * Where another instance (or a restore) took that position, the log is read from where this
   * instance is, and the update goes after that; a document that gets no further has no record
   * and is left out of the result.
   */
  private async appendClaimingPositions(entries: { doc: HubDocument; update: Uint8Array }[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    let unplaced = entries;
    while (unplaced.length > 0) {
      const placed = await this.appendWithRetry(unplaced.map(({ doc, update }) => ({ documentName: doc.name, seq: doc.logSeq + 1, update })));
      for (const [name, seq] of placed) seqs.set(name, seq);
      for (const { doc } of unplaced) doc.logSeq = Math.max(doc.logSeq, placed.get(doc.name) ?? 0);
      const taken = unplaced.filter(({ doc }) => !placed.has(doc.name));
      const known = taken.map(({ doc }) => doc.logSeq);
      await Promise.all(taken.map(({ doc }) => this.freshCatchUp(doc)));
      unplaced = taken.filter(({ doc }, i) => doc.logSeq > known[i]);
    }
    return seqs;
  }

  private async appendWithRetry(batch: { documentName: string; seq: number; update: Uint8Array }[]): Promise<Map<string, number>> {
    const deadline = Date.now() + this.timing.persistRetryMs;
    for (let attempt = 0; ; attempt++) {
      try {
        this.appends += 1;
        const started = performance.now();
        const seqs = await this.store.append(batch);
        this.appendTimes.add(performance.now() - started);
        return seqs;
      } catch (error) {
        // Deadlocks between instances appending to the same documents resolve on a retry.
        const code = (error as { code?: string }).code;
        const wait = code === '40P01' || code === '40001' ? 0 : Math.min(50 * 2 ** attempt, 1000);
        if (Date.now() + wait > deadline) throw error;
        await delay(wait);
      }
    }
  }

  /** Stored at `seq`: now apply it, relay it to the other local clients and the other instances. */
  private stored(doc: HubDocument, seq: number, update: Uint8Array, from: PendingUpdate[]): void {
    if (!doc.isApplied(seq)) {
      const origins = new Set(from.map((p) => p.origin));
      doc.applyStored(update, origins.size === 1 ? from[0].origin : null);
      if (!doc.markApplied(seq)) this.scheduleGapCatchUp(doc);
    }
    const now = performance.now();
    for (const p of from) this.relayTimes.add(now - p.acceptedAt);
    this.fanout.publish(doc.name, { kind: 'update', seq, update });
    this.changed(doc);
    if (doc.appliedSeq - doc.compactionRequestedAt >= this.timing.compactEvery) {
      doc.compactionRequestedAt = doc.appliedSeq;
      this.options.onCompactionDue?.(doc.name);
    }
  }

  /** Tells clients that asked which of their updates are now stored. */
  private acknowledge(stored: PendingUpdate[]): void {
    const vectors = new Map<HubConnection, Uint8Array[]>();
    for (const p of stored) if (p.sentVector) vectors.set(p.origin, [...(vectors.get(p.origin) ?? []), p.sentVector]);
    for (const [connection, sent] of vectors) connection.send(savedMessage(sent.length === 1 ? sent[0] : mergeStateVectors(sent)));
  }

  /**
   * The edits could not be stored: nobody else has seen them, so they are dropped here and their
   * clients, which still hold them, are disconnected; the provider reconnects and sends them again.
   */
  private giveBack(doc: HubDocument, notStored: PendingUpdate[]): void {
    for (const origin of new Set(notStored.map((p) => p.origin))) origin.close(CloseCode.notSaved, 'Edits could not be stored; reconnect to send them again');
    // The shadow again without them (with what is in flight or waiting for the next round).
    this.rebuildShadow(doc);
  }

  /**
   * Rebuilds the shadow from the log, what is applied meanwhile and what waits to be stored;
   * frames for the document wait meanwhile and are handled after, in order. Reading the log is
   * tried again until it works (the shadow cannot take updates before).
   */
  private rebuildShadow(doc: HubDocument): void {
    if (doc.rebuilding) return;
    const rebuild = async (): Promise<void> => {
      for (;;) {
        try {
          await doc.rebuildShadow(async () => (await this.store.load(doc.name)).updates);
          return;
        } catch (error) {
          this.logger.warn(`Rebuilding ${doc.name} from the log failed, trying again: ${messageOf(error)}`);
          await delay(REBUILD_RETRY_MS);
        }
      }
    };
    doc.rebuilding = rebuild().finally(() => {
      doc.rebuilding = null;
      for (const { connection, frame } of doc.heldFrames.splice(0)) this.handle(connection, frame);
      doc.settled();
    });
  }

  private flushSettled(): Promise<void> {
    return new Promise((resolve) => {
      const settled = (): void => {
        this.flushesSettled.delete(settled);
        resolve();
      };
      this.flushesSettled.add(settled);
      this.scheduleFlush();
    });
  }

  private async flushAll(): Promise<void> {
    const unstored = (): boolean => [...this.documents.values()].some((entry) => entry.doc?.hasUnstoredUpdates());
    while (unstored()) await this.flushSettled();
  }

  // ---- other instances and the log ----

  private onFanoutEvent(name: string, event: FanoutEvent): void {
    const entry = this.documents.get(name);
    if (!entry) return;
    if (!entry.doc) entry.early.push(event);
    else this.applyFanoutEvent(entry.doc, event);
  }

  private applyFanoutEvent(doc: HubDocument, event: FanoutEvent): void {
    try {
      if (event.kind === 'update') {
        if (doc.isApplied(event.seq)) return;
        doc.applyStored(event.update, FROM_ELSEWHERE);
        if (!doc.markApplied(event.seq)) this.scheduleGapCatchUp(doc);
        this.changed(doc);
      } else if (event.kind === 'awareness') {
        awarenessProtocol.applyAwarenessUpdate(doc.awareness, event.update, FROM_ELSEWHERE);
      } else if (event.kind === 'opened') {
        // It may have read the log before updates this instance relayed while it had no one to publish them to.
        this.fanout.publish(doc.name, { kind: 'log-position', seq: doc.logSeq });
      } else if (event.kind === 'log-position') {
        if (event.seq > doc.appliedSeq) void this.catchUp(doc);
      } else {
        void this.recheckAccess(doc);
      }
    } catch (error) {
      this.logger.warn(`A fan-out message for ${doc.name} could not be applied, catching up from the log: ${messageOf(error)}`);
      void this.catchUp(doc);
    }
  }

  private scheduleGapCatchUp(doc: HubDocument): void {
    if (doc.gapTimer) return;
    // The missing entry is usually still on its way; give it a moment before reading the log.
    doc.gapTimer = setTimeout(() => {
      doc.gapTimer = null;
      if (doc.appliedAhead.size > 0) void this.catchUp(doc);
    }, this.timing.gapWaitMs);
  }

  /** Applies every log entry this instance has not applied yet (from the snapshot when the log was compacted past them). */
  private catchUp(doc: HubDocument): Promise<void> {
    if (doc.catchingUp) return doc.catchingUp;
    const run = async (): Promise<void> => {
      const tail = await this.store.tail(doc.name, doc.appliedSeq);
      if (tail.snapshot && tail.snapshot.seq > doc.appliedSeq) {
        doc.applyStored(tail.snapshot.state, FROM_ELSEWHERE);
        doc.appliedSeq = tail.snapshot.seq;
        doc.logSeq = Math.max(doc.logSeq, tail.snapshot.seq);
        for (const seq of doc.appliedAhead) if (seq <= doc.appliedSeq) doc.appliedAhead.delete(seq);
      }
      for (const entry of tail.updates) {
        if (doc.isApplied(entry.seq)) continue;
        doc.applyStored(entry.update, FROM_ELSEWHERE);
        doc.markApplied(entry.seq);
      }
      if (tail.snapshot || tail.updates.length) this.changed(doc);
    };
    doc.catchingUp = run()
      .catch((error) => this.logger.warn(`Catching up ${doc.name} from the log failed: ${messageOf(error)}`))
      .finally(() => (doc.catchingUp = null));
    return doc.catchingUp;
  }

  /** A catch-up that reads the log from now on (one already running may have read it before what is wanted). */
  private async freshCatchUp(doc: HubDocument): Promise<void> {
    if (doc.catchingUp) await doc.catchingUp;
    return this.catchUp(doc);
  }

  private catchUpAll(): void {
    for (const entry of this.documents.values()) if (entry.doc) void this.catchUp(entry.doc);
  }

  /** Compares each open document's log position with what was applied here; catches up where the log is ahead. */
  private async checkLogPositions(): Promise<void> {
    const docs = [...this.documents.values()].map((e) => e.doc).filter((d): d is HubDocument => d !== null && !d.unloading);
    if (docs.length === 0) return;
    try {
      const positions = await this.store.lastSeqs(docs.map((d) => d.name));
      for (const doc of docs) if ((positions.get(doc.name) ?? 0) > doc.appliedSeq && !doc.inFlight) void this.catchUp(doc);
    } catch (error) {
      this.logger.warn(`Checking log positions failed: ${messageOf(error)}`);
    }
  }

  // ---- awareness ----

  private onAwarenessChange(doc: HubDocument, { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    if (origin instanceof HubConnection) {
      for (const id of added) origin.awarenessClients.add(id);
      for (const id of removed) origin.awarenessClients.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    // To every client, the sender too: the stock provider counts it as a sign of life.
    const message = awarenessMessage(doc.awareness, changed);
    for (const connection of doc.connections) connection.send(message);
    if (origin !== FROM_ELSEWHERE && !doc.unloading) {
      this.fanout.publish(doc.name, { kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(doc.awareness, changed) });
    }
  }

  // ---- access ----

  /** Told that who may do what in `doc` changed: re-checks its connections at once. */
  private async recheckAccess(doc: HubDocument): Promise<void> {
    const connections = [...doc.connections];
    if (connections.length === 0) return;
    const check = ++doc.accessChecksStarted;
    let access: Map<string, AccessMode> | undefined;
    try {
      access = await this.authorizer.access(doc.name, usersOf(connections));
    } catch (error) {
      if (!(error instanceof UnknownDocument)) {
        this.logger.warn(`Re-checking access to ${doc.name} failed: ${messageOf(error)}`);
        return;
      }
    }
    this.applyAccess(doc, check, connections, access);
  }

  /** The periodic re-check: every open document's connections, in one call to the authorizer. */
  private async recheckAllAccess(): Promise<void> {
    if (this.recheckingAccess) return;
    const checks: { doc: HubDocument; check: number; connections: HubConnection[] }[] = [];
    for (const { doc } of this.documents.values()) {
      if (doc && !doc.unloading && doc.connections.size > 0) checks.push({ doc, check: ++doc.accessChecksStarted, connections: [...doc.connections] });
    }
    if (checks.length === 0) return;
    this.recheckingAccess = true;
    try {
      const access = await this.authorizer.accessToMany(new Map(checks.map(({ doc, connections }) => [doc.name, usersOf(connections)])));
      for (const { doc, check, connections } of checks) this.applyAccess(doc, check, connections, access.get(doc.name));
    } catch (error) {
      this.logger.warn(`Re-checking access failed: ${messageOf(error)}`);
    } finally {
      this.recheckingAccess = false;
    }
  }

  /**
   * Downgrades or closes `connections` as `access` says (undefined: the document names nothing any
   * more). An answer read before one already applied is stale: the periodic re-check's can arrive
   * after that of a check told of a change, and must not undo it.
   */
  private applyAccess(doc: HubDocument, check: number, connections: readonly HubConnection[], access: Map<string, AccessMode> | undefined): void {
    if (check < doc.accessCheckApplied) return;
    doc.accessCheckApplied = check;
    for (const connection of connections) {
      const mode = access?.get(connection.userId);
      if (!access) connection.close(CloseCode.unknownDocument, 'The document is gone');
      else if (!mode) connection.close(CloseCode.forbidden, 'Access to this document was withdrawn');
      else connection.setMode(mode);
    }
  }

  // ---- derived text ----

  private changed(doc: HubDocument): void {
    const now = Date.now();
    doc.changedSince ??= now;
    doc.lastChangedAt = now;
    // One timer per quiet spell rather than one per change: when it fires early (changes went on),
    // it waits the rest of the time.
    if (!doc.deriveTimer) this.deriveWhenDue(doc);
  }

  private deriveWhenDue(doc: HubDocument): void {
    const { changedSince, lastChangedAt } = doc;
    if (changedSince === null) return;
    const wait = Math.min(lastChangedAt + this.timing.deriveDelayMs, changedSince + this.timing.deriveMaxDelayMs) - Date.now();
    if (wait > 0) {
      doc.deriveTimer = setTimeout(() => {
        doc.deriveTimer = null;
        this.deriveWhenDue(doc);
      }, wait);
      return;
    }
    this.queueDerivedTexts([doc]);
  }

  /** Queues documents for the run that saves derived text, starting one when none runs. */
  private queueDerivedTexts(docs: readonly HubDocument[]): void {
    for (const doc of docs) this.deriveDue.add(doc);
    this.savingDerivedTexts ??= this.saveDueDerivedTexts().finally(() => (this.savingDerivedTexts = null));
  }

  /**
   * Documents fall due together (all that were written in a busy spell), so they are saved in
   * batches, one statement at a time: derived text never takes more than one of the pool's
   * connections from the appends, nor a commit per document.
   */
  private async saveDueDerivedTexts(): Promise<void> {
    await delay(DERIVED_TEXT_GATHER_MS);
    const busy: HubDocument[] = [];
    while (this.deriveDue.size > 0) {
      const batch = [...this.deriveDue].slice(0, DERIVED_TEXTS_PER_STATEMENT);
      for (const doc of batch) this.deriveDue.delete(doc);
      try {
        // A document being unloaded saves its own text.
        busy.push(...(await this.saveDerivedTexts(batch.filter((doc) => !doc.unloading))));
      } catch (error) {
        this.logger.warn(`Saving derived text failed: ${messageOf(error)}`);
      }
    }
    // Documents that were being compacted, or had updates on their way, are tried again in a moment.
    if (busy.length > 0) setTimeout(() => this.queueDerivedTexts(busy.filter((doc) => !doc.unloading)), BUSY_DERIVED_TEXT_RETRY_MS).unref();
  }

  /**
   * Extracts the text of each document changed since its text was stored, and stores them in one
   * statement. Returns the documents whose text is not stored: being compacted at that moment, or with updates on their way.
   */
  private async saveDerivedTexts(docs: HubDocument[]): Promise<HubDocument[]> {
    const texts: { doc: HubDocument; seq: number; derived: DerivedText }[] = [];
    const unsettled: HubDocument[] = [];
    for (const doc of docs) {
      if (doc.deriveTimer) clearTimeout(doc.deriveTimer);
      doc.deriveTimer = null;
      doc.changedSince = null;
      if (doc.appliedSeq <= doc.derivedSeq) continue;
      // Text is derived from stored state only; a document with updates on their way is tried again in a moment.
      const state = doc.storedState;
      if (!state) {
        unsettled.push(doc);
        continue;
      }
      texts.push({ doc, seq: doc.appliedSeq, derived: deriveText(state) });
      // One document's text at a time, so relaying is not held up while a batch is extracted.
      if (texts.length < docs.length) await new Promise((resolve) => setImmediate(resolve));
    }
    if (texts.length === 0) return unsettled;
    const busy = await this.store.saveDerivedTexts(texts.map(({ doc, seq, derived }) => ({ name: doc.name, seq, derived })));
    for (const { doc, seq } of texts) if (!busy.has(doc.name)) doc.derivedSeq = Math.max(doc.derivedSeq, seq);
    return [...unsettled, ...texts.filter(({ doc }) => busy.has(doc.name)).map(({ doc }) => doc)];
  }
}

/** Durations since the window was last restarted, for quantiles in the instance's figures. */
class DurationWindow {
  private readonly histogram = createHistogram();

  add(ms: number): void {
    // The histogram takes whole numbers: microseconds.
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  quantiles(): { p50: number; p99: number } {
    const at = (percentile: number): number => (this.histogram.count ? Math.round(this.histogram.percentile(percentile) / 10) / 100 : 0);
    return { p50: at(50), p99: at(99) };
  }

  restart(): void {
    this.histogram.reset();
  }
}

/**
 * How far the document now reaches for each client that wrote in `update` (tried on `doc`): what
 * its "saved" acknowledgement reports. Not encodeStateVectorFromUpdate, which counts only structs
 * from clock 0 and so reports nothing for the usual update that continues earlier ones.
 */
function reachedVector(doc: Y.Doc, update: Uint8Array): Uint8Array {
  const reached = new Map<number, number>();
  for (const client of Y.parseUpdateMeta(update).to.keys()) reached.set(client, Y.getState(doc.store, client));
  return Y.encodeStateVector(reached);
}

function mergeStateVectors(vectors: Uint8Array[]): Uint8Array {
  const merged = new Map<number, number>();
  for (const vector of vectors) for (const [client, clock] of Y.decodeStateVector(vector)) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  return Y.encodeStateVector(merged);
}

function usersOf(connections: readonly HubConnection[]): string[] {
  return [...new Set(connections.map((c) => c.userId))];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
