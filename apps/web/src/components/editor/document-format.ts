import * as Y from 'yjs';
import { SOURCE_KINDS, SourceKind } from '../../graphql/nominations';

// The shape of a portrait's Yjs document, as docs/collaboration.md gives it and the collaboration
// service and the export read it: the ProseMirror body in an XML fragment, and a metadata map.

/** The ProseMirror body (y-prosemirror's and TipTap's default field). */
export const BODY_FIELD = 'default';
/** The metadata map: image caption and credit (strings) and the sources. */
export const META_FIELD = 'meta';

export const META_KEYS = { imageCaption: 'imageCaption', imageCredit: 'imageCredit', sources: 'sources' } as const;

/** A source is a Y.Map with these keys: `id` (uuid), `kind`, `reference` and `url` (string or null). */
export type SourceField = 'kind' | 'reference' | 'url';

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_FIELD);
}

/** A new, empty source and its id (a map not yet in a document cannot be read). */
export function newSource(): { id: string; source: Y.Map<unknown> } {
  const id = crypto.randomUUID();
  const kind: SourceKind = 'URL';
  return { id, source: new Y.Map<unknown>([['id', id], ['kind', kind], ['reference', ''], ['url', null]]) };
}

export function sourceKindOf(source: Y.Map<unknown>): SourceKind {
  const kind = source.get('kind');
  return SOURCE_KINDS.find((k) => k === kind) ?? 'URL';
}

/** A string field of a metadata or source map ('' when unset). */
export function textOf(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : '';
}

/**
 * Makes the sources list exist, once, after the first sync (so a list others made already is
 * used). Two people opening a fresh portrait at the same moment each make an empty list and one
 * wins; nothing is lost, as nobody added a source to either yet.
 */
export function ensureSourceList(doc: Y.Doc): void {
  const meta = metaOf(doc);
  if (!meta.has(META_KEYS.sources)) meta.set(META_KEYS.sources, new Y.Array<Y.Map<unknown>>());
}
