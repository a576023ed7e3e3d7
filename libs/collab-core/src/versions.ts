import * as Y from 'yjs';

const REPLAY = Symbol('changes since the version');

/**
 * The update that brings a document whose state is `current` back to the content of `version` (a
 * state it had earlier) as a forward change: text added since is deleted and text removed since is
 * inserted again, as new items. Nothing is overwritten, so edits made concurrently with the restore
 * merge with it as with any other edit, and the restore itself can be undone by a later restore.
 */
export function revertUpdate(current: Uint8Array, version: Uint8Array): Uint8Array {
  const currentDoc = new Y.Doc({ gc: false });
  Y.applyUpdate(currentDoc, current);
  const restoring = new Y.Doc({ gc: false });
  Y.applyUpdate(restoring, version);
  const currentVector = Y.encodeStateVector(currentDoc);
  // The whole document is the scope: its root types are untyped here (the server does not know
  // which is a fragment and which a map), and untyped roots do not report their own changes.
  const undo = new Y.UndoManager(restoring, { trackedOrigins: new Set([REPLAY]), captureTimeout: 0 });
  Y.applyUpdate(restoring, Y.encodeStateAsUpdate(currentDoc, Y.encodeStateVector(restoring)), REPLAY);
  undo.undo();
  undo.destroy();
  const update = Y.encodeStateAsUpdate(restoring, currentVector);
  currentDoc.destroy();
  restoring.destroy();
  return update;
}
