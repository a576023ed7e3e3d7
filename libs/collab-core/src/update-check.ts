import * as Y from 'yjs';
import { MalformedMessage } from './protocol';

/** What a document accepts beyond well-formed Yjs: which root types may exist. */
export interface DocumentPolicy {
  /** Names of the root types clients may create or change; any name when undefined. */
  allowedRootTypes?: readonly string[];
}

/**
 * Refuses an update that does not decode as Yjs, that changes a root type the document does not
 * have, or that embeds a subdocument (Quire documents have none, and each would cost the server a
 * Y.Doc). Whether it integrates cleanly is then tried on the document's shadow copy.
 */
export function checkUpdate(update: Uint8Array, policy: DocumentPolicy): void {
  let decoded: { structs: (Y.Item | Y.GC | Y.Skip)[] };
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    throw new MalformedMessage(`Not a Yjs update: ${error instanceof Error ? error.message : String(error)}`);
  }
  const allowed = policy.allowedRootTypes;
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.content instanceof Y.ContentDoc) throw new MalformedMessage('Subdocuments are not allowed');
    // Before integration, a struct's parent is the root type's name, the id of its parent item, or null.
    const parent: unknown = struct.parent;
    if (allowed && typeof parent === 'string' && !allowed.includes(parent)) {
      throw new MalformedMessage(`Unknown root type ${JSON.stringify(parent.slice(0, 40))}`);
    }
  }
}
