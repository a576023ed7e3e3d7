import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';

/**
 * One load generator for every server: lightweight protocol clients (no provider, no document
 * replica) so that a few thousand fit in one process. Each writer keeps a Y.Doc of its own text
 * only and types markers `~<writer>.<n>~`; receivers find markers in the update bytes they get
 * and record how long after sending each arrived. Hocuspocus multiplexes documents on one socket,
 * so its messages carry the document name first and a connection starts with an auth message;
 * everything else is the same y-websocket sync protocol.
 */
export type Framing = 'y-websocket' | 'hocuspocus';

export interface LoadTarget {
  framing: Framing;
  /** The WebSocket address of a client of `documentName`. */
  url(documentName: string, clientIndex: number): string;
}

export interface LoadPlan {
  documents: string[];
  clientsPerDocument: number;
  /** Updates per second, over all writers together. */
  rate: number;
  warmUpSeconds: number;
  seconds: number;
  /** Clients per document that look for markers (all when undefined): with hundreds on one document, a sample suffices. */
  observersPerDocument?: number;
  /** Called when an update is first seen by a receiver, for durability probes. */
  onFirstReceipt?: (marker: string, documentName: string) => void;
  /** Called when the measured window starts and ends. */
  onWindow?: (phase: 'start' | 'end') => void;
}

export interface LoadResult {
  clients: number;
  docs: number;
  updatesPerSecond: number;
  /** Relay latencies (ms) of the updates sent in the measured window, one per receipt, in ascending order. */
  latencies: Float64Array;
  /** Receipts expected and seen, for updates sent in the measured window. */
  expectedReceipts: number;
  receipts: number;
  measuredFrom: number;
  measuredTo: number;
}

const MARKER = /~(\d+)\.(\d+)~/g;

/** The `q` quantile of values in ascending order (NaN when there are none). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

/** Numbers collected into one typed array that grows by doubling, so that they are not a heap object each. */
class Samples {
  private values: Float64Array;
  private count = 0;

  constructor(expected: number) {
    this.values = new Float64Array(Math.max(1024, expected));
  }

  add(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }
}

class LoadClient {
  private ws!: WebSocket;
  private readonly doc: Y.Doc;
  private readonly text: Y.XmlText;
  private outgoing: Uint8Array | null = null;
  synced = false;
  sent = 0;

  constructor(
    readonly index: number,
    readonly documentName: string,
    private readonly target: LoadTarget,
    readonly observer: boolean,
    private readonly onMarkers: (client: LoadClient, text: string) => void,
  ) {
    this.doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    this.text = new Y.XmlText();
    paragraph.insert(0, [this.text]);
    this.doc.getXmlFragment('default').insert(0, [paragraph]);
    this.doc.on('update', (update: Uint8Array) => (this.outgoing = update));
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.target.url(this.documentName, this.index), { perMessageDeflate: false });
      const timer = setTimeout(() => reject(new Error(`client ${this.index} did not sync`)), 60_000);
      this.ws.on('open', () => {
        if (this.target.framing === 'hocuspocus') this.ws.send(this.frame((e) => { encoding.writeVarUint(e, 2); encoding.writeVarUint(e, 0); encoding.writeVarString(e, ''); }));
        this.ws.send(this.frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc)); }));
      });
      this.ws.on('message', (data: Buffer) => {
        this.receive(data);
        if (this.synced) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.ws.on('close', (code) => {
        if (!this.synced) {
          clearTimeout(timer);
          reject(new Error(`client ${this.index} closed with ${code} before syncing`));
        }
      });
    });
  }

  /** Types the next marker and sends the update; returns the marker. */
  type(n: number): string {
    const marker = `~${this.index}.${n}~`;
    this.text.insert(this.text.length, `${marker} `);
    this.sendUpdate();
    this.sent += 1;
    return marker;
  }

  close(): void {
    this.ws.terminate();
    this.doc.destroy();
  }

  /** The writer's own paragraph, sent once before the measured updates. */
  sendUpdate(): void {
    const update = this.outgoing ?? Y.encodeStateAsUpdate(this.doc);
    this.outgoing = null;
    this.ws.send(this.frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, update); }));
  }

  private frame(write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    if (this.target.framing === 'hocuspocus') encoding.writeVarString(e, this.documentName);
    write(e);
    return encoding.toUint8Array(e);
  }

  private receive(data: Buffer): void {
    const decoder = decoding.createDecoder(data);
    if (this.target.framing === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== 0 && type !== 4) return; // sync (and Hocuspocus' sync reply); awareness, auth and acknowledgements are not measured
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === 0) {
      this.ws.send(this.frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, payload)); }));
    } else if (step === 1) {
      this.synced = true;
    } else if (this.observer) {
      this.onMarkers(this, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1'));
    }
  }
}

export async function runLoad(target: LoadTarget, plan: LoadPlan, log: (line: string) => void): Promise<LoadResult> {
  const sentAt: Float64Array[] = [];
  // Receipts per update, beside its send time: the load generator's own heap must stay flat, or
  // its collections (whose marking takes both cores) show up as every server's latency.
  const receipts: Uint16Array[] = [];
  const observers = plan.observersPerDocument ?? plan.clientsPerDocument;
  const observersInDocument = Math.min(observers, plan.clientsPerDocument);
  const latencies = new Samples(plan.rate * plan.seconds * observersInDocument);
  let measuring = false;
  // Nothing is measured before the window: the warm-up is for what servers do once.
  let measuredFrom = Infinity;
  let measuredTo = Infinity;
  const clients: LoadClient[] = [];

  const onMarkers = (client: LoadClient, text: string): void => {
    const now = performance.now();
    for (const match of text.matchAll(MARKER)) {
      const writer = Number(match[1]);
      if (writer === client.index) continue;
      const n = Number(match[2]);
      const at = sentAt[writer]?.[n];
      if (!at) continue;
      if (receipts[writer][n] === 0) plan.onFirstReceipt?.(match[0], client.documentName);
      receipts[writer][n] += 1;
      if (at >= measuredFrom && at < measuredTo) latencies.add(now - at);
    }
  };

  for (const documentName of plan.documents) {
    for (let k = 0; k < plan.clientsPerDocument; k++) {
      const index = clients.length;
      clients.push(new LoadClient(index, documentName, target, k < observers, onMarkers));
      const updatesPerWriter = Math.ceil((plan.rate * (plan.warmUpSeconds + plan.seconds + 5)) / (plan.documents.length * plan.clientsPerDocument)) + 64;
      sentAt.push(new Float64Array(updatesPerWriter));
      receipts.push(new Uint16Array(updatesPerWriter));
    }
  }
  // Connect in waves, as people arrive: no server should have to admit thousands in one instant.
  for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map((c) => c.connect()));
  for (const client of clients) client.sendUpdate();
  log(`  ${clients.length} clients connected and synced`);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  // A fixed rate: every 5 ms the updates due are sent, by writers in a shuffled round robin.
  const order = clients.map((_, i) => i).sort(() => Math.random() - 0.5);
  let next = 0;
  let sentInWindow = 0;
  const start = performance.now();
  const endOfWarmUp = start + plan.warmUpSeconds * 1000;
  const end = endOfWarmUp + plan.seconds * 1000;
  let due = 0;
  let lastTick = start;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      if (!measuring && now >= endOfWarmUp) {
        measuring = true;
        measuredFrom = now;
        plan.onWindow?.('start');
      }
      if (now >= end) {
        measuredTo = now;
        clearInterval(tick);
        resolve();
        return;
      }
      // What is due follows the clock, not the ticks: a late tick sends what it owes, but a stalled
      // event loop makes up for at most a tenth of a second (a bigger burst would measure the stall).
      due = Math.min(due + (plan.rate * (now - lastTick)) / 1000, Math.max(1, plan.rate / 10));
      lastTick = now;
      while (due >= 1) {
        due -= 1;
        const client = clients[order[next++ % order.length]];
        const n = client.sent;
        client.type(n);
        sentAt[client.index][n] = performance.now();
        if (measuring) sentInWindow += 1;
      }
    }, 5);
  });
  // Let what was sent in the window arrive.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  plan.onWindow?.('end');
  for (const client of clients) client.close();

  // Each update is expected at every observer of its document but its writer.
  let expected = 0;
  let got = 0;
  for (const client of clients) {
    for (let n = 0; n < client.sent; n++) {
      const at = sentAt[client.index][n];
      if (at < measuredFrom || at >= measuredTo) continue;
      expected += observersInDocument - (client.observer ? 1 : 0);
      got += receipts[client.index][n];
    }
  }
  return {
    clients: clients.length,
    docs: plan.documents.length,
    updatesPerSecond: sentInWindow / ((measuredTo - measuredFrom) / 1000),
    latencies: latencies.sorted(),
    expectedReceipts: expected,
    receipts: got,
    measuredFrom,
    measuredTo,
  };
}
