import type { HubDocument } from './hub-document';
import { CloseCode } from './limits';
import { AccessMode, accessMessage, permissionDeniedMessage } from './protocol';

/** What the hub needs of a WebSocket; the transport adapts its socket to this. */
export interface CollabSocket {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet written to the network. */
  readonly bufferedAmount: number;
}

export interface ConnectionRequest {
  documentName: string;
  /** Whom the ticket names. */
  userId: string;
  /** The client understands Quire's own messages (saved, access); stock providers do not. */
  quireMessages: boolean;
}

/** The hub's side of a connection: message handling, leaving and limits. */
export interface ConnectionHost {
  readonly maxQueuedMessages: number;
  readonly maxBufferedBytes: number;
  handle(connection: HubConnection, frame: Uint8Array): void;
  detach(connection: HubConnection): void;
}

/** One client connection to one document. */
export class HubConnection {
  state: 'admitting' | 'open' | 'closed' = 'admitting';
  mode: AccessMode = 'read-only';
  doc: HubDocument | null = null;
  /** Awareness client ids this connection announced, removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Frames that arrived while the connection was being admitted, handled in order after. */
  queued: Uint8Array[] = [];
  private readonly told = new Set<string>();

  constructor(
    readonly socket: CollabSocket,
    readonly request: ConnectionRequest,
    private readonly host: ConnectionHost,
  ) {}

  get userId(): string {
    return this.request.userId;
  }

  get documentName(): string {
    return this.request.documentName;
  }

  /** Closed by either side (the hub checks this after waiting for access and loading). */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** A frame from the client. */
  receive(frame: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.state === 'admitting') {
      if (this.queued.length >= this.host.maxQueuedMessages) this.close(CloseCode.tooManyMessages, 'Too many messages before the connection was admitted');
      else this.queued.push(frame);
      return;
    }
    this.host.handle(this, frame);
  }

  send(message: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.socket.bufferedAmount > this.host.maxBufferedBytes) {
      this.close(CloseCode.slowConsumer, 'The client did not keep up');
      return;
    }
    this.socket.send(message);
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    try {
      this.socket.close(code, reason);
    } catch {
      // A socket that is gone already needs no closing.
    }
    this.host.detach(this);
  }

  /** The transport saw the socket close (the client left, or the network failed). */
  closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.host.detach(this);
  }

  /** A permission-denied auth message, sent once per reason per connection. */
  refuse(reason: string): void {
    if (this.told.has(reason)) return;
    this.told.add(reason);
    this.send(permissionDeniedMessage(reason));
  }

  /** Changes what this connection may do, and tells the client. */
  setMode(mode: AccessMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    if (mode === 'read-only') {
      this.told.delete('read-only');
      this.refuse('read-only');
    }
    if (this.request.quireMessages) this.send(accessMessage(mode));
  }
}
