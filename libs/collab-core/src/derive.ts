import * as Y from 'yjs';

/** The ProseMirror body of a Quire document (y-prosemirror's and TipTap's default field name). */
export const BODY_FIELD = 'default';
/** The metadata map of a Quire document: sources, image caption and credit. */
export const META_FIELD = 'meta';
/** Keys of the metadata map: caption and credit are strings; sources a Y.Array of Y.Maps (id, kind, reference, url). */
export const META_KEYS = { imageCaption: 'imageCaption', imageCredit: 'imageCredit', sources: 'sources' } as const;

export interface Heading {
  level: number;
  text: string;
}

/** What is extracted from a document after changes, for progress tracking, search and export. */
export interface DerivedText {
  plainText: string;
  wordCount: number;
  headings: Heading[];
}

const WORD = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * Plain text of the ProseMirror body: one line per text block (paragraph, heading, list item,
 * quote, ...), with the headings and their levels listed apart. Unknown node types contribute
 * their text; embeds and anything that is not text are skipped.
 */
export function deriveText(doc: Y.Doc): DerivedText {
  const existing = doc.share.get(BODY_FIELD);
  if (!existing) return { plainText: '', wordCount: 0, headings: [] };
  // A root type the server has not used yet is untyped; read it as the XML fragment it is meant to be.
  const body = existing instanceof Y.XmlFragment ? existing : existing.constructor === Y.AbstractType ? doc.getXmlFragment(BODY_FIELD) : null;
  if (!body) return { plainText: '', wordCount: 0, headings: [] };
  const blocks: string[] = [];
  const headings: Heading[] = [];
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment, inline: string[]): void => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') inline.push(op.insert);
      return;
    }
    if (!(node instanceof Y.XmlElement)) return;
    const children = node.toArray();
    if (children.length === 0) {
      inline.push(' '); // a hard break or an inline atom separates words
      return;
    }
    if (children.some((child) => child instanceof Y.XmlText)) {
      const parts: string[] = [];
      for (const child of children) visit(child, parts);
      const text = parts.join('').replace(/\s+/g, ' ').trim();
      if (node.nodeName === 'heading') {
        const level = Number(node.getAttribute('level'));
        headings.push({ level: Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1, text });
      }
      if (text) blocks.push(text);
      return;
    }
    for (const child of children) visit(child, inline);
  };
  for (const node of body.toArray()) visit(node, []);
  const plainText = blocks.join('\n');
  return { plainText, wordCount: countWords(plainText), headings };
}
