import * as Y from 'yjs';

// The shape of a portrait's Yjs document, as the collaboration service and the export read it
// (libs/collab-core/src/derive.ts): the ProseMirror body in an XML fragment, and a metadata map.

/** The ProseMirror body (y-prosemirror's and TipTap's default field). */
export const BODY_FIELD = 'default';
/** The metadata map: image caption and credit, and the sources. */
export const META_FIELD = 'meta';

/** Keys of the metadata map. Caption and credit are Y.Text; sources a Y.Array of Y.Map. */
export const META_KEYS = { imageCaption: 'imageCaption', imageCredit: 'imageCredit', sources: 'sources' } as const;

/** One source: an `id` (string, stable for lists), and `reference` and `url` (Y.Text each). */
export type SourceField = 'reference' | 'url';
export const SOURCE_FIELDS: readonly SourceField[] = ['reference', 'url'];

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_FIELD);
}

/** A new, empty source and its id (a map not yet in a document cannot be read). */
export function newSource(): { id: string; source: Y.Map<unknown> } {
  const id = crypto.randomUUID();
  const source = new Y.Map<unknown>();
  source.set('id', id);
  for (const field of SOURCE_FIELDS) source.set(field, new Y.Text());
  return { id, source };
}

/**
 * Makes the shared types a writer edits exist, once, after the first sync (so what others made
 * already is used). Two people opening a fresh portrait at the same moment each make empty ones
 * and one set wins; nothing typed is lost, as nobody typed into them yet.
 */
export function ensureMetaTypes(doc: Y.Doc): void {
  const meta = metaOf(doc);
  const missing = [META_KEYS.imageCaption, META_KEYS.imageCredit, META_KEYS.sources].filter((key) => !meta.has(key));
  if (missing.length === 0) return;
  doc.transact(() => {
    for (const key of missing) meta.set(key, key === META_KEYS.sources ? new Y.Array<Y.Map<unknown>>() : new Y.Text());
  });
}
