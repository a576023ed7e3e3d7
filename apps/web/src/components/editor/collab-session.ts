import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabTicket } from '../../graphql/portraits';
import { SaveTracker } from './save-tracker';

// The collaboration server speaks the y-websocket protocol plus two messages of its own, sent to
// clients that ask with `?quire=1` (libs/collab-core/src/protocol.ts): "saved", with the state
// vector of this connection's changes that are now in the update log, and "access", when the
// connection may now write or only read.
const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
const MESSAGE_SAVED = 100;
const MESSAGE_ACCESS = 101;
const SYNC_STEP_2 = 1;

/** Close codes after which reconnecting needs something first (libs/collab-core/src/limits.ts). */
const CLOSE_TICKET_REFUSED = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_UNKNOWN_DOCUMENT = 4404;

/**
 * A ticket is renewed this long before it expires, or after three quarters of its life when it is
 * short, so a reconnect always has a valid one.
 */
const RENEW_BEFORE_MS = 60_000;
const RENEW_RETRY_MS = 5_000;

export type CollabAccessMode = 'read-write' | 'read-only';

export interface CollabStatus {
  /**
   * `connected`: in sync with the server; `connecting`: not yet, the first time; `offline`: the
   * connection was lost (changes are kept and sent on reconnect); `closed`: the server ended it
   * for good (`closedBecause` says why).
   */
  connection: 'connecting' | 'connected' | 'offline' | 'closed';
  /** What the server lets this person do with the text now. */
  access: CollabAccessMode;
  /** Changes made here that the server has not yet stored. */
  unsaved: boolean;
  /** The server refused a change: 'read-only', 'document-too-large'. */
  refused: string | null;
  closedBecause: 'forbidden' | 'unknown-document' | 'other' | null;
}

/** Someone with the document open, as their editor announces them. */
export interface CollabPerson {
  clientId: number;
  userId: string;
  name: string;
  color: string;
  self: boolean;
}

/** Who the local person is to the others: carets and the presence list show this. */
export interface CollabUser {
  id: string;
  name: string;
  color: string;
}

export interface CollabSessionOptions {
  ticket: CollabTicket;
  /** A fresh ticket for the same document (tickets are short-lived). */
  renewTicket(): Promise<CollabTicket>;
  user: CollabUser;
}

function accessOf(ticket: CollabTicket): CollabAccessMode {
  return ticket.access === 'READ_WRITE' ? 'read-write' : 'read-only';
}

/**
 * One open portrait document: the Yjs document, the stock y-websocket provider connected with a
 * ticket (renewed before it expires), what the server says about saving and access, and who else
 * is there. Framework-free; React reads it through `subscribe` and the snapshot getters.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly user: CollabUser;
  private readonly tracker: SaveTracker;
  private readonly listeners = new Set<() => void>();
  private readonly renewTicket: () => Promise<CollabTicket>;
  private ticketExpiresAt: number;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private everConnected = false;
  /** A connection waits for a ticket: the next successful renewal connects. */
  private connectAfterRenewal = false;
  private status: CollabStatus;
  private people: CollabPerson[] = [];
  private destroyed = false;

  constructor({ ticket, renewTicket, user }: CollabSessionOptions) {
    this.user = user;
    this.renewTicket = renewTicket;
    this.ticketExpiresAt = Date.parse(ticket.expiresAt);
    this.status = { connection: 'connecting', access: accessOf(ticket), unsaved: false, refused: null, closedBecause: null };
    this.provider = new WebsocketProvider(ticket.url, ticket.documentName, this.doc, {
      connect: false,
      params: { ticket: ticket.ticket, quire: '1' },
      // Every change goes through the server, which stores it before anyone sees it; tabs do not
      // pass changes to each other behind its back.
      disableBc: true,
      maxBackoffTime: 5_000,
    });
    this.tracker = new SaveTracker(this.doc, this.provider, () => this.probe(), () => this.update({ unsaved: this.tracker.unsaved }));
    this.listen();
    this.scheduleRenewal();
    if (navigator.onLine) this.provider.connect();
    else this.update({ connection: 'offline' });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = (): CollabStatus => this.status;

  getPeople = (): CollabPerson[] => this.people;

  /** Tries again after the server closed the connection for good (a person may have regained access). */
  reconnect(): void {
    this.update({ closedBecause: null, connection: 'connecting' });
    void this.connectWithValidTicket();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.renewTimer);
    window.removeEventListener('offline', this.goOffline);
    window.removeEventListener('online', this.goOnline);
    this.tracker.destroy();
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private listen(): void {
    const { provider } = this;
    const handleSync = provider.messageHandlers[MESSAGE_SYNC];
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
      // Peek: a sync step 2 carries the server's stored delete set, which the tracker checks.
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === SYNC_STEP_2) this.tracker.serverState(decoding.readVarUint8Array(peek));
      handleSync(encoder, decoder, p, emitSynced, type);
    };
    provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
      this.tracker.acknowledged(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    provider.messageHandlers[MESSAGE_ACCESS] = (_encoder, decoder) => {
      const mode = decoding.readVarString(decoder);
      this.update({ access: mode === 'read-write' ? 'read-write' : 'read-only', ...(mode === 'read-write' ? { refused: null } : {}) });
    };
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder); // permission denied, the only auth message
      this.update({ refused: decoding.readVarString(decoder) });
    };
    provider.on('sync', (synced) => {
      if (synced) this.everConnected = true;
      this.update({ connection: synced ? 'connected' : this.everConnected ? 'offline' : 'connecting' });
    });
    provider.on('connection-close', () => {
      // A failed first attempt is as offline as a lost connection.
      if (this.status.connection !== 'closed') this.update({ connection: 'offline' });
    });
    provider.on('closed', ({ code }) => {
      if (code === CLOSE_TICKET_REFUSED) void this.connectWithValidTicket(true);
      else this.update({ connection: 'closed', closedBecause: code === CLOSE_FORBIDDEN ? 'forbidden' : code === CLOSE_UNKNOWN_DOCUMENT ? 'unknown-document' : 'other' });
    });
    provider.awareness.on('change', () => this.updatePeople());
    window.addEventListener('offline', this.goOffline);
    window.addEventListener('online', this.goOnline);
  }

  // The browser knows at once when the network is gone; the provider would notice only when its
  // watchdog finds the socket silent, up to half a minute later.
  private readonly goOffline = (): void => {
    this.connectAfterRenewal = false;
    this.provider.disconnect();
    this.update({ connection: 'offline' });
  };

  private readonly goOnline = (): void => {
    void this.connectWithValidTicket();
  };

  private async connectWithValidTicket(forceRenew = false): Promise<void> {
    const stale = forceRenew || Date.now() > this.ticketExpiresAt - RENEW_RETRY_MS;
    if (stale && !(await this.renew())) {
      // A stale ticket would only be refused again; the renewal that succeeds connects.
      this.connectAfterRenewal = true;
      return;
    }
    if (!this.destroyed) this.provider.connect();
  }

  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const left = this.ticketExpiresAt - Date.now();
    const delay = Math.max(1_000, Math.min(left - RENEW_BEFORE_MS, left * 0.75));
    this.renewTimer = setTimeout(() => void this.renew(), delay);
  }

  /** Gets a fresh ticket for the next connection; false when that failed (a retry is planned). */
  private async renew(): Promise<boolean> {
    try {
      const ticket = await this.renewTicket();
      if (this.destroyed) return false;
      this.provider.params = { ...this.provider.params, ticket: ticket.ticket };
      this.ticketExpiresAt = Date.parse(ticket.expiresAt);
      this.scheduleRenewal();
      if (this.connectAfterRenewal) {
        this.connectAfterRenewal = false;
        this.provider.connect();
      }
      return true;
    } catch {
      // Offline, or the api is restarting: try again soon; the current ticket may still do.
      if (!this.destroyed) {
        clearTimeout(this.renewTimer);
        this.renewTimer = setTimeout(() => void this.renew(), RENEW_RETRY_MS);
      }
      return false;
    }
  }

  /** Asks the server for its stored state (answered with a sync step 2). */
  private probe(): void {
    const ws = this.provider.ws;
    if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    ws.send(encoding.toUint8Array(encoder));
  }

  private updatePeople(): void {
    const people: CollabPerson[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: Partial<CollabUser> }).user;
      if (typeof user?.id === 'string' && typeof user.name === 'string') {
        people.push({ clientId, userId: user.id, name: user.name, color: user.color ?? '', self: clientId === this.doc.clientID });
      }
    });
    this.people = people;
    this.emit();
  }

  private update(change: Partial<CollabStatus>): void {
    if (this.destroyed) return;
    const next = { ...this.status, ...change };
    if ((Object.keys(next) as (keyof CollabStatus)[]).every((key) => next[key] === this.status[key])) return;
    this.status = next;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
