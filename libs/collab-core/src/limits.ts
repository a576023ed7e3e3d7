/**
 * WebSocket close codes a collab connection ends with. The stock y-websocket provider reconnects
 * after any code outside 4400-4499 and stops for good on those (the server decided; a reconnect
 * cannot help): the web client then fetches a new ticket (4401) or shows why (4403, 4404, ...).
 */
export const CloseCode = {
  /** The instance is shutting down: reconnect (to another instance). */
  serviceRestart: 1012,
  /** Too many connections are being opened at once: reconnect after a backoff. */
  tryAgainLater: 1013,
  /** A frame was not a well-formed message, or not allowed in this document. */
  malformed: 4400,
  /** The ticket is missing, forged or expired, or for another document: get a new one. */
  ticketRefused: 4401,
  /** The person has no access to this document (any more). */
  forbidden: 4403,
  /** There is no such document. */
  unknownDocument: 4404,
  /** Too many messages were sent before the connection was admitted. */
  tooManyMessages: 4413,
  /** The person, or the document, has as many connections as allowed. */
  tooManyConnections: 4429,
  /** The document could not be loaded: reconnect after a backoff. */
  loadFailed: 4500,
  /** Edits could not be stored: reconnect, and the provider sends them again. */
  notSaved: 4503,
  /** The client did not keep up with what was sent to it: reconnect and resynchronise. */
  slowConsumer: 4509,
} as const;

export interface CollabLimits {
  /** Largest message a client may send (bytes). A larger one closes the connection (1009). */
  maxMessageBytes: number;
  /** Past this size a document takes no more updates (bytes, its stored state). */
  maxDocumentBytes: number;
  maxConnectionsPerUser: number;
  maxConnectionsPerDocument: number;
  /** Connections being admitted (ticket, access and load) at once; more are told to try again later. */
  maxPendingConnections: number;
  /** Messages a connection may send before it is admitted; they wait and are handled in order. */
  maxQueuedMessages: number;
  /** Bytes waiting to be sent to one client before it counts as too slow. */
  maxBufferedBytes: number;
  /** A client that has not answered a ping within this time is disconnected. */
  pingIntervalMs: number;
}

export interface CollabTiming {
  /** A document without connections stays loaded this long, for reconnects. */
  unloadDelayMs: number;
  /** How often each instance compares the log position of its documents with what it applied. */
  catchUpIntervalMs: number;
  /** A gap in the positions received is waited for this long before catching up from the log. */
  gapWaitMs: number;
  /** How often every open connection's access is checked again (announcements make it immediate). */
  accessRecheckMs: number;
  /** Derived text is extracted this long after the last change, and at least this often while changes go on. */
  deriveDelayMs: number;
  deriveMaxDelayMs: number;
  /** Statements appending to the log at once. */
  flushConcurrency: number;
  /** How long appending is retried before the edits are given back to their clients (closed with 4503). */
  persistRetryMs: number;
  /** Log entries after which a compaction is asked for. */
  compactEvery: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
  maxMessageBytes: 4 * 1024 * 1024,
  maxDocumentBytes: 16 * 1024 * 1024,
  maxConnectionsPerUser: 20,
  maxConnectionsPerDocument: 1000,
  maxPendingConnections: 512,
  maxQueuedMessages: 64,
  maxBufferedBytes: 16 * 1024 * 1024,
  pingIntervalMs: 30_000,
};

export const DEFAULT_TIMING: CollabTiming = {
  unloadDelayMs: 5_000,
  catchUpIntervalMs: 1_000,
  gapWaitMs: 50,
  accessRecheckMs: 15_000,
  deriveDelayMs: 2_000,
  deriveMaxDelayMs: 10_000,
  flushConcurrency: 4,
  persistRetryMs: 5_000,
  compactEvery: 500,
};
