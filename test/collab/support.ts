import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Server, Socket } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import * as decoding from 'lib0/decoding';
import { Pool } from 'pg';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DocumentStore, MessageType, signTicket, sqlOfPool } from '@quire/collab-core';
import { COLLAB_NODE_FLAGS } from '../../libs/runtime/collab/src/node-flags';
import { cleanRedis, createTestDatabase, freePort, removeTestDataDir, stopChildProcess, TEST_REDIS_URL, TestDatabase, testDataDir, testRedisPrefix, waitFor } from '@quire/testing';

// Each provider listens for the process's exit; tests run dozens of them.
process.setMaxListeners(200);

/** Collab processes in these tests sign and check tickets with this secret. */
export const TEST_TICKET_SECRET = 'collab-tests-ticket-secret-0123456789abcdef';
const WORKSPACE = resolve(__dirname, '../..');

export type PortraitStatus = 'UNASSIGNED' | 'DRAFTING' | 'SUBMITTED' | 'IN_REVIEW' | 'CHANGES_REQUESTED' | 'APPROVED' | 'FINAL';

/** A database with a project, people and portraits, made with plain SQL (fast), and a Redis prefix of its own. */
export interface CollabWorld {
  database: TestDatabase;
  pool: Pool;
  store: DocumentStore;
  prefix: string;
  projectId: string;
  person(roles: string[], name?: string): Promise<string>;
  portrait(team: { status?: PortraitStatus; lead?: string | null; coAuthors?: string[]; editor?: string | null }): Promise<{ id: string; documentName: string }>;
  setStatus(portraitId: string, status: PortraitStatus): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function createCollabWorld(label: string): Promise<CollabWorld> {
  const database = await createTestDatabase(label);
  // An idle connection's error (the server going away) must not take the test process down.
  const pool = new Pool({ connectionString: database.url, max: 4 }).on('error', () => undefined);
  const prefix = testRedisPrefix(label);
  const [{ id: projectId }] = (await pool.query(`INSERT INTO projects (slug, title) VALUES ($1, 'Collab book') RETURNING id`, [`collab-${label}-${Date.now()}`])).rows;
  return {
    database, pool, prefix, projectId,
    store: new DocumentStore(sqlOfPool(pool)),
    async person(roles, name) {
      const n = ++counter;
      const [{ id }] = (await pool.query(`INSERT INTO users (email, display_name) VALUES ($1, $2) RETURNING id`, [`collab${n}-${Date.now()}@example.org`, name ?? `Writer ${n}`])).rows;
      if (roles.length) await pool.query(`INSERT INTO project_memberships (project_id, user_id, roles) VALUES ($1, $2, $3)`, [projectId, id, roles]);
      return id as string;
    },
    async portrait({ status = 'DRAFTING', lead = null, coAuthors = [], editor = null }) {
      const n = ++counter;
      const [{ id: candidateId }] = (
        await pool.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, $2, 'SELECTED', $2, $2) RETURNING id`, [projectId, `Candidate ${n}`])
      ).rows;
      const [{ id }] = (
        await pool.query(`INSERT INTO portraits (project_id, candidate_id, status, lead_author_id, editor_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [projectId, candidateId, status, lead, editor])
      ).rows;
      for (const coAuthor of coAuthors) await pool.query(`INSERT INTO portrait_co_authors (portrait_id, user_id) VALUES ($1, $2)`, [id, coAuthor]);
      return { id, documentName: `portrait:${id}` };
    },
    async setStatus(portraitId, status) {
      await pool.query(`UPDATE portraits SET status = $2 WHERE id = $1`, [portraitId, status]);
    },
    async close() {
      await pool.end();
      await database.drop();
      await cleanRedis(prefix);
      removeTestDataDir(prefix);
    },
  };
}

export function ticket(userId: string, documentName: string, ttlMs = 10 * 60_000, secret = TEST_TICKET_SECRET): string {
  return signTicket(secret, { userId, documentName, expiresAt: Date.now() + ttlMs });
}

export interface CollabProcess {
  port: number;
  /** The WebSocket base address: connect to `${url}/${documentName}`. */
  url: string;
  httpUrl: string;
  pid(): number | undefined;
  lines(): string[];
  /** The process's Prometheus figures by name. */
  metrics(options?: { gc?: boolean }): Promise<Record<string, number>>;
  /** SIGKILL, as a crash: nothing is flushed. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** apps/collab as its own process, as it is deployed, against a test database and Redis key prefix (a world's, or a test app's). */
export async function startCollabProcess(world: { database: TestDatabase; prefix: string }, options: { env?: Record<string, string>; redisUrl?: string; exposeGc?: boolean; port?: number } = {}): Promise<CollabProcess> {
  const port = options.port ?? (await freePort());
  const httpUrl = `http://127.0.0.1:${port}`;
  const lines: string[] = [];
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const started = spawn(process.execPath, [...COLLAB_NODE_FLAGS, ...(options.exposeGc ? ['--expose-gc'] : []), '-r', '@swc-node/register', 'apps/collab/src/main.ts'], {
      cwd: WORKSPACE,
      env: {
        ...process.env,
        NODE_ENV: 'test', DATABASE_URL: world.database.url, REDIS_URL: options.redisUrl ?? TEST_REDIS_URL, QUIRE_REDIS_PREFIX: world.prefix,
        QUIRE_DATA_DIR: testDataDir(world.prefix), COLLAB_PORT: String(port), COLLAB_TICKET_SECRET: TEST_TICKET_SECRET, LOG_LEVEL: 'warn',
        COLLAB_UNLOAD_DELAY_MS: '300', COLLAB_DERIVE_DELAY_MS: '100', COLLAB_ACCESS_RECHECK_SECONDS: '600',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    for (const stream of [started.stdout, started.stderr]) if (stream) createInterface({ input: stream }).on('line', (line) => lines.push(line));
    await waitFor(async () => {
      if (started.exitCode !== null) throw new Error(`collab exited with code ${started.exitCode}:\n${lines.join('\n')}`);
      return fetch(`${httpUrl}/health/ready`).then((res) => res.ok || undefined, () => undefined);
    }, 'the collab process to answer /health/ready', { timeoutMs: 60_000 });
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running) await stopChildProcess(running, signal);
  };

  await start();
  return {
    port,
    url: `ws://127.0.0.1:${port}/collab`,
    httpUrl,
    pid: () => child?.pid,
    lines: () => [...lines],
    async metrics({ gc = false } = {}) {
      const text = await (await fetch(`${httpUrl}/metrics${gc ? '?gc=1' : ''}`)).text();
      return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
    },
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await start();
    },
    stop: () => end('SIGTERM'),
  };
}

/** A stock y-websocket client: the WebsocketProvider class unchanged, with what it receives recorded. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Every update this client received from the server. */
  received: Uint8Array[];
  closes: { code: number; reason: string }[];
  /** Reasons of permission-denied messages. */
  denied: string[];
  /** Quire access messages (`read-write` / `read-only`), when asked for. */
  accessModes: string[];
  /** Quire saved acknowledgements: the highest stored clock per client id. */
  saved: Map<number, number>;
  destroy(): void;
}

export function connectClient(serverUrl: string, documentName: string, ticketValue: string, options: { quire?: boolean; doc?: Y.Doc; connect?: boolean } = {}): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, documentName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Without this, clients in one process would sync through a BroadcastChannel and not the server.
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 300,
    params: { ticket: ticketValue, ...(options.quire ? { quire: '1' } : {}) },
  });
  const client: TestClient = { doc, provider, received: [], closes: [], denied: [], accessModes: [], saved: new Map(), destroy: () => undefined };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) client.received.push(update);
  });
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
  });
  // The provider's own extension point: record what it would only log.
  provider.messageHandlers[MessageType.auth] = (_encoder, decoder) => {
    decoding.readVarUint(decoder);
    client.denied.push(decoding.readVarString(decoder));
  };
  provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
    client.accessModes.push(decoding.readVarString(decoder));
  };
  provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
    for (const [id, clock] of Y.decodeStateVector(decoding.readVarUint8Array(decoder))) client.saved.set(id, Math.max(clock, client.saved.get(id) ?? 0));
  };
  client.destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  return client;
}

export function synced(client: TestClient, what = 'the client to sync'): Promise<true> {
  return waitFor(() => client.provider.synced || undefined, what, { timeoutMs: 30_000 });
}

/** The ProseMirror body as tests write it: paragraphs of plain text in the 'default' fragment. */
export function body(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment('default');
}

export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    body(doc).push([paragraph]);
  });
}

/** Types `text` at the end of the last paragraph (a new paragraph when there is none). */
export function typeText(doc: Y.Doc, text: string): void {
  const last = body(doc).get(body(doc).length - 1);
  if (!(last instanceof Y.XmlElement) || !(last.get(0) instanceof Y.XmlText)) return appendParagraph(doc, text);
  const target = last.get(0) as Y.XmlText;
  target.insert(target.length, text);
}

export function textOf(doc: Y.Doc): string {
  return body(doc).toString();
}

/** The document as stored in the update log, as a Y.Doc. */
export async function storedDoc(world: CollabWorld, documentName: string): Promise<Y.Doc> {
  const { state } = await world.store.currentState(documentName);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** Every struct and deletion of every update is in `doc`. */
export function containsAll(doc: Y.Doc, updates: Uint8Array[]): boolean {
  const snapshot = Y.snapshot(doc);
  return updates.every((update) => Y.snapshotContainsUpdate(snapshot, update));
}

export function converged(clients: TestClient[]): boolean {
  const first = textOf(clients[0].doc);
  return clients.every((c) => textOf(c.doc) === first);
}

/**
 * A TCP load balancer in front of collab instances: each new connection goes to the first backend
 * that accepts it, so when one dies its clients reconnect to the next.
 */
export async function startFailoverProxy(backendPorts: number[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    const tryBackend = (index: number): void => {
      if (index >= backendPorts.length) return void client.destroy();
      const upstream = new Socket();
      upstream.once('error', () => {
        upstream.destroy();
        tryBackend(index + 1);
      });
      upstream.connect(backendPorts[index], '127.0.0.1', () => {
        sockets.add(upstream);
        upstream.removeAllListeners('error');
        const closeBoth = (): void => {
          client.destroy();
          upstream.destroy();
        };
        upstream.on('error', closeBoth).on('close', closeBoth);
        client.on('error', closeBoth).on('close', closeBoth);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
