import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { HubConnection } from './hub-connection';
import { updateMessage } from './protocol';

/** Transaction origin of changes that came from the log or another instance: relayed to every local client. */
export const FROM_ELSEWHERE = Symbol('from the log or another instance');
/** Transaction origin of an update being tried on the shadow copy. */
const TRIAL = Symbol('trial');

/** An accepted update waiting to be appended to the log, or an acknowledgement waiting for the updates before it. */
export interface PendingUpdate {
  /** What the update added to the document; null when it added nothing new (only its acknowledgement waits). */
  update: Uint8Array | null;
  origin: HubConnection;
  /** The state vector of the update as the client sent it, for its "saved" acknowledgement. */
  sentVector: Uint8Array | null;
  /** When it was accepted (performance.now()), for the time from accepting to relaying. */
  acceptedAt: number;
}

/** Stored updates waiting to be applied to the live document are applied together past this many. */
const MOST_UNAPPLIED_TO_LIVE = 64;

/**
 * Connections a relayed update is sent to in one turn of the event loop. A document with more
 * clients is relayed in turns of this many, so a relay to hundreds of clients (a few milliseconds)
 * does not keep the process from reading new updates and PostgreSQL's answers meanwhile; updates
 * stored while a relay is under way go out after it, merged into one.
 */
const RELAY_TURN = 16;

/**
 * One open document on this instance. `live` holds exactly what is in the update log (up to
 * `appliedSeq`): clients are only ever sent state from it, so nothing a client received can be
 * lost by a crash. `shadow` is live plus the accepted updates not yet stored: a new update is
 * tried there first, so one that does not integrate is refused before it is stored or relayed.
 */
export class HubDocument {
  shadow: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<HubConnection>();
  /** Every log entry up to here has been applied to `live`. */
  appliedSeq: number;
  /** Entries after a gap, applied already; the gap is filled from the log. */
  readonly appliedAhead = new Set<number>();
  /** The newest log position known to be committed (applied here, or appended by this instance): the next append claims the one after. */
  logSeq: number;
  pending: PendingUpdate[] = [];
  inFlight: PendingUpdate[] | null = null;
  /** Bytes of state, roughly (an overestimate): the snapshot and entries at load plus every update accepted since. */
  approxBytes: number;
  catchingUp: Promise<void> | null = null;
  gapTimer: NodeJS.Timeout | null = null;
  unloadTimer: NodeJS.Timeout | null = null;
  deriveTimer: NodeJS.Timeout | null = null;
  /** When the oldest change not yet derived happened (ms), or null when derived text is current. */
  changedSince: number | null = null;
  /** When the latest change happened (ms); derived text waits for a quiet moment after it. */
  lastChangedAt = 0;
  derivedSeq: number;
  compactionRequestedAt: number;
  unloading = false;
  /** Access checks started for this document, and the newest one whose answer was applied (an older answer is stale). */
  accessChecksStarted = 0;
  accessCheckApplied = 0;
  /** Stored updates waiting for the relay under way to finish (see RELAY_TURN), with whom each is not sent to. */
  private relayWaiting: { update: Uint8Array; except: HubConnection | null }[] = [];
  private relaying = false;
  private trialDelta: Uint8Array | null = null;
  private readonly liveDoc: Y.Doc;
  /**
   * Stored updates not yet applied to the live document, in log order. Relaying needs only the
   * update itself; the live document is read when a client joins, text is derived or the shadow
   * rebuilt, so the updates in between are applied then, in one transaction, not one each.
   */
  private unappliedToLive: Uint8Array[];

  constructor(readonly name: string, stored: { updates: Uint8Array[]; seq: number; snapshotSeq: number; bytes: number }) {
    this.liveDoc = new Y.Doc();
    this.unappliedToLive = stored.updates;
    this.shadow = copyOf(this.live);
    this.appliedSeq = stored.seq;
    this.logSeq = stored.seq;
    this.derivedSeq = stored.seq;
    this.compactionRequestedAt = stored.snapshotSeq;
    this.approxBytes = stored.bytes;
    this.awareness = new awarenessProtocol.Awareness(this.liveDoc);
    this.awareness.setLocalState(null);
    this.shadow.on('update', this.captureTrial);
    // The live document has no 'update' listener: Yjs would encode every transaction again for it.
    // What is applied is relayed as it was stored (see applyStored).
  }

  /** The document as stored, up to `appliedSeq`. */
  get live(): Y.Doc {
    this.applyStoredToLive();
    return this.liveDoc;
  }

  /**
   * Tries `update` on the shadow copy. Returns what it adds to the document (null when nothing),
   * or throws when it does not integrate, after restoring the shadow from the live document and
   * the updates still waiting.
   */
  trial(update: Uint8Array): Uint8Array | null {
    this.trialDelta = null;
    try {
      Y.applyUpdate(this.shadow, update, TRIAL);
    } catch (error) {
      this.rebuildShadow();
      throw error;
    }
    const delta = this.trialDelta;
    this.trialDelta = null;
    return delta;
  }

  /**
   * Takes stored content into the live document (and, when it came from elsewhere, the shadow) and
   * relays it to the local clients; `origin`, a connection whose updates it holds, is not sent its
   * own changes back. Stored content is what the shadow added, so it is what clients lack (applying
   * anything twice is harmless in Yjs).
   */
  applyStored(update: Uint8Array, origin: HubConnection | typeof FROM_ELSEWHERE | null): void {
    this.unappliedToLive.push(update);
    if (this.unappliedToLive.length >= MOST_UNAPPLIED_TO_LIVE) this.applyStoredToLive();
    if (origin === FROM_ELSEWHERE) Y.applyUpdate(this.shadow, update, FROM_ELSEWHERE);
    const except = origin === FROM_ELSEWHERE ? null : origin;
    if (!this.relaying && this.connections.size <= RELAY_TURN) {
      const message = updateMessage(update);
      for (const connection of this.connections) if (connection !== except) connection.send(message);
      return;
    }
    this.relayWaiting.push({ update, except });
    if (!this.relaying) this.relayNext();
  }

  /** Relays what waits, merged into one update, to the clients in turns of RELAY_TURN; then what came meanwhile. */
  private relayNext(): void {
    const waiting = this.relayWaiting;
    this.relayWaiting = [];
    if (waiting.length === 0) {
      this.relaying = false;
      return;
    }
    this.relaying = true;
    // Merged, the updates go to everyone: a client is sent its own changes back, which Yjs ignores.
    const except = waiting.every((w) => w.except === waiting[0].except) ? waiting[0].except : null;
    const message = updateMessage(waiting.length === 1 ? waiting[0].update : Y.mergeUpdates(waiting.map((w) => w.update)));
    const targets = [...this.connections].filter((connection) => connection !== except);
    const sendFrom = (start: number): void => {
      for (const connection of targets.slice(start, start + RELAY_TURN)) connection.send(message);
      setImmediate(() => (start + RELAY_TURN < targets.length ? sendFrom(start + RELAY_TURN) : this.relayNext()));
    };
    sendFrom(0);
  }

  /** Records that log entry `seq` is applied; true when it closes no gap (the caller may need to catch up otherwise). */
  markApplied(seq: number): boolean {
    this.logSeq = Math.max(this.logSeq, seq);
    if (seq <= this.appliedSeq) return true;
    if (seq === this.appliedSeq + 1) {
      this.appliedSeq = seq;
      while (this.appliedAhead.delete(this.appliedSeq + 1)) this.appliedSeq += 1;
      return true;
    }
    this.appliedAhead.add(seq);
    return false;
  }

  isApplied(seq: number): boolean {
    return seq <= this.appliedSeq || this.appliedAhead.has(seq);
  }

  /** The shadow again from the live document and the updates that wait to be stored (after a failed trial or a failed append). */
  rebuildShadow(): void {
    this.shadow.off('update', this.captureTrial);
    this.shadow.destroy();
    this.shadow = copyOf(this.live);
    for (const waiting of [...(this.inFlight ?? []), ...this.pending]) if (waiting.update) Y.applyUpdate(this.shadow, waiting.update, FROM_ELSEWHERE);
    this.shadow.on('update', this.captureTrial);
  }

  hasUnstoredUpdates(): boolean {
    return this.pending.length > 0 || this.inFlight !== null;
  }

  destroy(): void {
    for (const timer of [this.gapTimer, this.unloadTimer, this.deriveTimer]) if (timer) clearTimeout(timer);
    this.awareness.destroy();
    this.liveDoc.destroy();
    this.shadow.destroy();
  }

  private applyStoredToLive(): void {
    if (this.unappliedToLive.length === 0) return;
    const updates = this.unappliedToLive;
    this.unappliedToLive = [];
    Y.transact(this.liveDoc, () => {
      for (const update of updates) Y.applyUpdate(this.liveDoc, update);
    });
  }

  private readonly captureTrial = (update: Uint8Array, origin: unknown): void => {
    if (origin === TRIAL) this.trialDelta = update;
  };
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}
