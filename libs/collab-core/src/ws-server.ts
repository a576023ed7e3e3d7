import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { CollabHub } from './hub';
import { CloseCode } from './limits';
import { TicketError, verifyTicket } from './ticket';

/** Document names: what Quire gives out (`portrait:<uuid>`), and nothing a path or a log could trip on. */
export const DOCUMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;

/**
 * Each client is pinged once per interval, a slice of the clients at a time: pinging thousands at
 * once (and reading their pongs) held relaying up for tens of milliseconds.
 */
const PING_SLICES = 30;

export interface CollabWebSocketOptions {
  hub: CollabHub;
  /** Connections are made to `<path>/<documentName>?ticket=...`. */
  path: string;
  ticketSecret: string;
}

/**
 * The WebSocket transport of the hub, for any Node HTTP server: upgrades of `<path>/<name>` are
 * taken (a ticket checked first), anything else is left to other listeners (GraphQL
 * subscriptions share the api's server). Messages over the size limit close the connection (1009);
 * a client that misses a ping is dropped.
 */
export class CollabWebSocketServer {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakSet<WebSocket>();
  private readonly pingSliceOf = new WeakMap<WebSocket, number>();
  private nextPingSlice = 0;
  private pingTurn = 0;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly options: CollabWebSocketOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.hub.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: true });
    this.pinger = setInterval(() => this.pingSlice(), options.hub.limits.pingIntervalMs / PING_SLICES).unref();
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(request, socket, head));
  }

  /** Takes the upgrade when it is for a collab document and returns true; returns false otherwise. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://collab.invalid');
    const prefix = `${this.options.path}/`;
    if (!url.pathname.startsWith(prefix)) return false;
    let documentName = '';
    try {
      documentName = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      // An undecodable name is no document's name.
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, documentName, url.searchParams));
    return true;
  }

  /** Closes every connection as a restart, so clients reconnect (to another instance). */
  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const ws of this.wss.clients) ws.close(CloseCode.serviceRestart, 'Restarting');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, documentName: string, params: URLSearchParams): void {
    const closeWith = (code: number, reason: string): void => ws.close(code, shortReason(reason));
    if (!DOCUMENT_NAME.test(documentName)) return closeWith(CloseCode.unknownDocument, 'No such document');
    let userId: string;
    try {
      userId = verifyTicket(this.options.ticketSecret, params.get('ticket'), documentName).userId;
    } catch (error) {
      return closeWith(CloseCode.ticketRefused, error instanceof TicketError ? error.message : 'Ticket refused');
    }
    this.alive.add(ws);
    this.pingSliceOf.set(ws, this.nextPingSlice++ % PING_SLICES);
    ws.on('pong', () => this.alive.add(ws));
    const connection = this.options.hub.connect(
      { send: (message) => ws.send(message), close: closeWith, get bufferedAmount() { return ws.bufferedAmount; } },
      { documentName, userId, quireMessages: params.get('quire') === '1' },
    );
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) connection.close(CloseCode.malformed, 'Text frames are not part of the protocol');
      else connection.receive(toBytes(data));
    });
    ws.on('close', () => connection.closed());
    // Protocol errors (an oversized message among them) end the socket; 'close' follows.
    ws.on('error', () => undefined);
  }

  /** Drops the clients of this turn's slice that did not answer the last ping, and pings the others. */
  private pingSlice(): void {
    const slice = this.pingTurn++ % PING_SLICES;
    for (const ws of this.wss.clients) {
      // Sockets refused before they became connections are never pinged; they close on their own.
      if (this.pingSliceOf.get(ws) !== slice) continue;
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}

/** A close reason is at most 123 bytes of UTF-8. */
function shortReason(reason: string): string {
  let short = reason;
  while (Buffer.byteLength(short) > 120) short = short.slice(0, -1);
  return short;
}
