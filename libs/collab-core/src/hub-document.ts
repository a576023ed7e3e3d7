import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { docOf } from './document-store';
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

/**
 * Connections a relayed update is sent to in one turn of the event loop. A document with more
 * clients is relayed in turns of this many, so a relay to hundreds of clients (a few milliseconds)
 * does not keep the process from reading new updates and PostgreSQL's answers meanwhile; updates
 * stored while a relay is under way go out after it, merged into one.
 */
const RELAY_TURN = 16;

/**
 * One open document on this instance, held once: `shadow` is what the update log holds (up to
 * `appliedSeq`) plus the accepted updates not yet stored. A new update is tried there first, so
 * one that does not integrate is refused before it is stored or relayed. Clients are only ever
 * sent stored state (so nothing a client received can be lost by a crash): relayed updates once
 * stored, and the document itself only while nothing of it waits to be stored (`storedState`),
 * which is most of the time; the hub waits for such a moment, or reads the log.
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
  /** Waiting for a moment when nothing of the document waits to be stored. */
  private settledWaiters: (() => void)[] = [];
  /**
   * Set while the shadow is rebuilt from the log (after an update failed to integrate or to be
   * stored): frames for the document wait, and stored updates applied meanwhile are kept for the
   * new shadow.
   */
  rebuilding: Promise<void> | null = null;
  readonly heldFrames: { connection: HubConnection; frame: Uint8Array }[] = [];
  private appliedWhileRebuilding: Uint8Array[] = [];

  constructor(readonly name: string, stored: { updates: Uint8Array[]; seq: number; snapshotSeq: number; bytes: number }) {
    this.shadow = docOf(stored.updates);
    this.appliedSeq = stored.seq;
    this.logSeq = stored.seq;
    this.derivedSeq = stored.seq;
    this.compactionRequestedAt = stored.snapshotSeq;
    this.approxBytes = stored.bytes;
    // Presence needs a Y.Doc only for its client id; the shadow is replaced when rebuilt.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
    this.shadow.on('update', this.captureTrial);
  }

  /** The document as stored, when nothing of it waits to be stored (then the shadow is exactly that); else null. */
  get storedState(): Y.Doc | null {
    return this.hasUnstoredUpdates() || this.rebuilding ? null : this.shadow;
  }

  /** Resolves at the next moment nothing of the document waits to be stored (the hub calls `settled`). */
  whenSettled(): Promise<void> {
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Told by the hub after an append round: wakes those waiting for stored state if nothing waits now. */
  settled(): void {
    if (this.settledWaiters.length === 0 || this.storedState === null) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Tries `update` on the shadow copy. Returns what it adds to the document (null when nothing),
   * or throws when it does not integrate; the shadow may then hold part of it, and the hub
   * rebuilds it (`rebuildShadow`) before the document takes another update.
   */
  trial(update: Uint8Array): Uint8Array | null {
    this.trialDelta = null;
    Y.applyUpdate(this.shadow, update, TRIAL);
    const delta = this.trialDelta;
    this.trialDelta = null;
    return delta;
  }

  /**
   * Takes stored content into the shadow when it came from elsewhere (this instance's own updates
   * are there already) and relays it to the local clients; `origin`, a connection whose updates it
   * holds, is not sent its own changes back. Stored content is what the shadow added, so it is
   * what clients lack (applying anything twice is harmless in Yjs).
   */
  applyStored(update: Uint8Array, origin: HubConnection | typeof FROM_ELSEWHERE | null): void {
    if (this.rebuilding) this.appliedWhileRebuilding.push(update);
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

  /**
   * Replaces the shadow with the log as stored (`load`), what was applied while `rebuilding` and
   * what waits to be stored (Yjs takes each piece once, whichever of them already holds it).
   */
  async rebuildShadow(load: () => Promise<Uint8Array[]>): Promise<void> {
    const stored = await load();
    const waiting = [...(this.inFlight ?? []), ...this.pending].map((p) => p.update).filter((u): u is Uint8Array => u !== null);
    this.shadow.off('update', this.captureTrial);
    this.shadow.destroy();
    this.shadow = docOf([...stored, ...this.appliedWhileRebuilding, ...waiting]);
    this.shadow.on('update', this.captureTrial);
    this.appliedWhileRebuilding = [];
  }

  hasUnstoredUpdates(): boolean {
    return this.pending.length > 0 || this.inFlight !== null;
  }

  destroy(): void {
    for (const timer of [this.gapTimer, this.unloadTimer, this.deriveTimer]) if (timer) clearTimeout(timer);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.shadow.destroy();
  }

  private readonly captureTrial = (update: Uint8Array, origin: unknown): void => {
    if (origin === TRIAL) this.trialDelta = update;
  };
}

