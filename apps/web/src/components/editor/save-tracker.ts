import * as Y from 'yjs';

/** A local change the server has not yet said it stored. */
interface PendingChange {
  update: Uint8Array;
  /** Where this client's clock stands after the change; null for a change that only deletes. */
  endClock: number | null;
}

/**
 * Knows which of this client's changes the collaboration server has stored, so the editor can say
 * "saved" only when that is true.
 *
 * The server acknowledges stored changes with the state vector of what this connection sent
 * ("saved" message): that covers every change that inserted something, by this client's clock.
 * A change that only deletes moves no clock, so it cannot be matched to an acknowledgement; for
 * those the tracker asks the server for its state (a sync step 1, `probe`) after each
 * acknowledgement and looks for the deletions in the delete set of the answer (sync step 2),
 * which the server computes from the stored document.
 *
 * The server stores one connection's changes in the order it received them, and the provider
 * sends them in the order they were made (a reconnect sends everything missing in one update);
 * so an acknowledged change means every earlier one is stored too.
 */
export class SaveTracker {
  private pending: PendingChange[] = [];
  private savedClock = 0;

  constructor(
    private readonly doc: Y.Doc,
    /** Updates with this origin came from the server, not from this person. */
    private readonly remoteOrigin: unknown,
    /** Asks the server for its state, to check deletions against. */
    private readonly probe: () => void,
    private readonly onChange: () => void,
  ) {
    doc.on('update', this.onUpdate);
  }

  /** Changes made here that the server has not stored (yet). */
  get unsaved(): boolean {
    return this.pending.length > 0;
  }

  /** The server's "saved" message: the state vector of stored changes from this connection. */
  acknowledged(stateVector: Map<number, number>): void {
    this.savedClock = Math.max(this.savedClock, stateVector.get(this.doc.clientID) ?? 0);
    let last = -1;
    this.pending.forEach((change, index) => {
      if (change.endClock !== null && change.endClock <= this.savedClock) last = index;
    });
    this.drop(last + 1);
    if (this.pending[0]?.endClock === null) this.probe();
  }

  /** A sync step 2 from the server: what it stored that this client lacks, and its whole delete set. */
  serverState(update: Uint8Array): void {
    if (this.pending[0]?.endClock !== null) return;
    const stored = Y.createSnapshot(Y.decodeUpdate(update).ds, new Map());
    let covered = 0;
    while (covered < this.pending.length && this.pending[covered].endClock === null && Y.snapshotContainsUpdate(stored, this.pending[covered].update)) covered++;
    this.drop(covered);
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.remoteOrigin) return;
    const own = Y.parseUpdateMeta(update).to.get(this.doc.clientID);
    const wasSaved = !this.unsaved;
    this.pending.push({ update, endClock: own ?? null });
    if (wasSaved) this.onChange();
  };

  private drop(count: number): void {
    if (count === 0) return;
    this.pending.splice(0, count);
    if (!this.unsaved) this.onChange();
  }
}
