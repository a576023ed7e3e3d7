import * as Y from 'yjs';
import { mergeIntoState } from './document-store';
import { countWords, deriveText } from './derive';
import { revertUpdate } from './versions';

function paragraph(name: string, text: string): Y.XmlElement {
  const element = new Y.XmlElement(name);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

describe('restoring a version as a forward update', () => {
  it('brings back removed blocks and metadata and removes what was added, as new changes', () => {
    const doc = new Y.Doc();
    const heading = paragraph('heading', 'Jeugd');
    heading.setAttribute('level', '2' as never);
    doc.getXmlFragment('default').insert(0, [heading, paragraph('paragraph', 'Geboren in 1798.')]);
    doc.getMap('meta').set('imageCredit', 'Rijksmuseum');
    const version = mergeIntoState([Y.encodeStateAsUpdate(doc)]);
    const wanted = doc.getXmlFragment('default').toString();

    doc.getXmlFragment('default').delete(0, 1);
    ((doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Hij werd ');
    doc.getXmlFragment('default').push([paragraph('paragraph', 'Later toegevoegd.')]);
    doc.getMap('meta').set('imageCredit', 'Eigen werk');
    doc.getMap('meta').set('imageCaption', 'Portret');
    const before = Y.encodeStateVector(doc);

    Y.applyUpdate(doc, revertUpdate(mergeIntoState([Y.encodeStateAsUpdate(doc)]), version));
    expect(doc.getXmlFragment('default').toString()).toBe(wanted);
    expect(doc.getMap('meta').toJSON()).toEqual({ imageCredit: 'Rijksmuseum' });
    // Forward: the document only grew, nobody's state vector went back.
    for (const [client, clock] of Y.decodeStateVector(before)) expect(Y.decodeStateVector(Y.encodeStateVector(doc)).get(client)).toBeGreaterThanOrEqual(clock);
  });

  it('merges with an edit made at the same time', () => {
    const base = new Y.Doc();
    base.getXmlFragment('default').insert(0, [paragraph('paragraph', 'Een.')]);
    const version = mergeIntoState([Y.encodeStateAsUpdate(base)]);
    base.getXmlFragment('default').push([paragraph('paragraph', 'Twee.')]);
    const restore = revertUpdate(mergeIntoState([Y.encodeStateAsUpdate(base)]), version);
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(base));
    writer.getXmlFragment('default').push([paragraph('paragraph', 'Drie.')]);
    Y.applyUpdate(writer, restore);
    expect(writer.getXmlFragment('default').toString()).toBe('<paragraph>Een.</paragraph><paragraph>Drie.</paragraph>');
  });
});

describe('derived text', () => {
  it('gives plain text per block, the word count and the headings', () => {
    const doc = new Y.Doc();
    const heading = paragraph('heading', 'Jeugd in  Zwolle');
    heading.setAttribute('level', '3' as never);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [paragraph('paragraph', 'Rechten in Leiden')]);
    list.insert(0, [item]);
    const text = new Y.XmlText('Thorbecke’s grondwet');
    text.format(0, 9, { bold: true });
    const body = new Y.XmlElement('paragraph');
    body.insert(0, [text]);
    doc.getXmlFragment('default').insert(0, [heading, body, list]);
    expect(deriveText(doc)).toEqual({
      plainText: 'Jeugd in Zwolle\nThorbecke’s grondwet\nRechten in Leiden',
      wordCount: 8,
      headings: [{ level: 3, text: 'Jeugd in Zwolle' }],
    });
  });

  it('counts words as writers do', () => {
    expect(countWords('')).toBe(0);
    expect(countWords("Van 't Hoff, 1852-1911: chemicus.")).toBe(5);
    expect(countWords('e-mail, 3.5 procent')).toBe(3);
  });

  it('is empty for a document without a body', () => {
    expect(deriveText(new Y.Doc())).toEqual({ plainText: '', wordCount: 0, headings: [] });
  });
});
