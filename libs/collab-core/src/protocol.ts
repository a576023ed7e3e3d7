import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

/**
 * The y-websocket protocol, as the stock `WebsocketProvider` speaks it: every WebSocket message is
 * one varUint message type followed by its body. Types 100 and up are Quire's own, sent only to
 * clients that ask for them (`?quire=1`), because the stock provider logs unknown types as errors.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Quire: the state vector of updates from this connection that are now in the update log. */
  saved: 100,
  /** Quire: this connection may now write (`read-write`) or only read (`read-only`). */
  access: 101,
} as const;

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

/** Reasons in a permission-denied auth message (y-protocols/auth), for clients to switch on. */
export const PermissionDenied = {
  readOnly: 'read-only',
  documentTooLarge: 'document-too-large',
} as const;

export type AccessMode = 'read-write' | 'read-only';

export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

/** A frame that is not a well-formed client message; the connection that sent it is closed. */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

/**
 * Reads one client frame, refusing anything that is not exactly one well-formed message (unknown
 * types, a sync step 1 that is not a state vector, trailing bytes). Update contents are checked
 * later, against the document (`checkUpdate`).
 */
export function parseClientMessage(frame: Uint8Array): ClientMessage {
  let message: ClientMessage;
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.sync) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SyncMessageType.step1) {
        Y.decodeStateVector(payload);
        message = { kind: 'sync-step-1', stateVector: payload };
      } else if (step === SyncMessageType.step2) {
        message = { kind: 'sync-step-2', update: payload };
      } else if (step === SyncMessageType.update) {
        message = { kind: 'update', update: payload };
      } else {
        throw new MalformedMessage(`Unknown sync message type ${step}`);
      }
    } else if (type === MessageType.awareness) {
      message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else if (type === MessageType.queryAwareness) {
      message = { kind: 'query-awareness' };
    } else {
      throw new MalformedMessage(`Unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new MalformedMessage('Trailing bytes after the message');
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage(`Unreadable message: ${error instanceof Error ? error.message : String(error)}`);
  }
  return message;
}

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });
}

/** The answer to a client's sync step 1: what the document has that the client lacks. */
export function syncStep2Message(doc: Y.Doc, clientStateVector: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.step2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, clientStateVector));
  });
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.update);
    encoding.writeVarUint8Array(e, update);
  });
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });
}

export function permissionDeniedMessage(reason: string): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.auth);
    encoding.writeVarUint(e, 0); // y-protocols/auth messagePermissionDenied
    encoding.writeVarString(e, reason);
  });
}

export function savedMessage(stateVector: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.saved);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function accessMessage(mode: AccessMode): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MessageType.access);
    encoding.writeVarString(e, mode);
  });
}

/** True for an update that carries nothing (no structs, no deletions): what an up-to-date client sends as its sync step 2. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
