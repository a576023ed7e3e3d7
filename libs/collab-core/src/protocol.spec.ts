import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { isEmptyUpdate, MalformedMessage, parseClientMessage, syncStep1Message, updateMessage } from './protocol';
import { checkUpdate } from './update-check';
import { decodeFanoutMessage, encodeFanoutMessage } from './fanout';

const frame = (...parts: ((e: encoding.Encoder) => void)[]): Uint8Array => {
  const e = encoding.createEncoder();
  for (const part of parts) part(e);
  return encoding.toUint8Array(e);
};
const uint = (n: number) => (e: encoding.Encoder): void => encoding.writeVarUint(e, n);
const bytes = (b: Uint8Array) => (e: encoding.Encoder): void => encoding.writeVarUint8Array(e, b);

describe('y-websocket protocol', () => {
  const doc = new Y.Doc();
  doc.getXmlFragment('default').insert(0, [new Y.XmlText('tekst')]);
  const update = Y.encodeStateAsUpdate(doc);

  it('reads the messages stock providers send', () => {
    expect(parseClientMessage(syncStep1Message(doc))).toMatchObject({ kind: 'sync-step-1' });
    expect(parseClientMessage(frame(uint(0), uint(1), bytes(update)))).toEqual({ kind: 'sync-step-2', update });
    expect(parseClientMessage(updateMessage(update))).toEqual({ kind: 'update', update });
    expect(parseClientMessage(frame(uint(1), bytes(new Uint8Array([0]))))).toMatchObject({ kind: 'awareness' });
    expect(parseClientMessage(frame(uint(3)))).toEqual({ kind: 'query-awareness' });
  });

  it.each([
    ['an empty frame', new Uint8Array()],
    ['an unknown type', frame(uint(42))],
    ['an unknown sync step', frame(uint(0), uint(9), bytes(update))],
    ['a length past the end', frame(uint(0), uint(2), uint(1000))],
    ['a state vector that is none', frame(uint(0), uint(0), bytes(new Uint8Array([5, 200])))],
    ['trailing bytes', Uint8Array.from([...updateMessage(update), 7])],
    ['a varint that never ends', new Uint8Array([0x80, 0x80, 0x80])],
  ])('refuses %s', (_what, bad) => {
    expect(() => parseClientMessage(bad)).toThrow(MalformedMessage);
  });

  it('knows an empty update', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    expect(isEmptyUpdate(update)).toBe(false);
  });

  it('refuses updates that are no Yjs, change unknown root types, or embed subdocuments', () => {
    const policy = { allowedRootTypes: ['default', 'meta'] };
    expect(() => checkUpdate(update, policy)).not.toThrow();
    expect(() => checkUpdate(new Uint8Array([1, 2, 3]), policy)).toThrow(MalformedMessage);
    const other = new Y.Doc();
    other.getText('elsewhere').insert(0, 'x');
    expect(() => checkUpdate(Y.encodeStateAsUpdate(other), policy)).toThrow(/Unknown root type/);
    expect(() => checkUpdate(Y.encodeStateAsUpdate(other), {})).not.toThrow();
    const withSubdoc = new Y.Doc();
    withSubdoc.getMap('meta').set('sub', new Y.Doc());
    expect(() => checkUpdate(Y.encodeStateAsUpdate(withSubdoc), policy)).toThrow(/Subdocuments/);
  });

  it('encodes fan-out messages both ways', () => {
    for (const event of [{ kind: 'update', seq: 12, update }, { kind: 'awareness', update: new Uint8Array([1, 2]) }, { kind: 'access-changed' }, { kind: 'opened' }, { kind: 'log-position', seq: 300 }] as const) {
      expect(decodeFanoutMessage(encodeFanoutMessage('instance-a', event))).toEqual({ from: 'instance-a', event });
    }
  });
});
