/**
 * `npm run bench:collab`: Quire's collab service against Hocuspocus (with its database extension on
 * the same PostgreSQL) and the y-websocket reference server, one after the other in one run, under
 * the same load generator (bench/collab/load.ts) and the same documents.
 *
 * Two scenarios:
 * - spread: many clients over many documents (4 per document), every client a writer;
 * - one document: hundreds of writers on one document (a sample of them measure).
 * For each server: clients, documents, the update rate achieved, p50/p99 relay latency (from a
 * writer's send to another client's receipt, both in the load generator), the server process's
 * CPU seconds over the measured window and peak RSS, the share of expected receipts that arrived,
 * and the durability window: for sampled updates, how long after another client first received
 * an update it was still not in the server's store (0 when it was stored before anyone got it;
 * null for the reference server, which stores nothing). The CPU seconds of the PostgreSQL
 * backends serving the bench database over the same window are given apart (db_cpu_s; PostgreSQL's
 * shared WAL writer and checkpointer are not counted): on a small machine storing competes with
 * everything else.
 *
 * The servers take turns for several rounds (three in the full profile): a slow spell of the shared
 * machine (another process, the disk) then falls on each of them rather than on one, and a p99
 * over one window of one server says little (it moves by a third between identical runs here).
 * Each round's figures are printed; those given for a server are over all its rounds: p50/p99 of
 * every receipt of every round, CPU seconds per measured window on average, the highest RSS, the
 * longest durability window.
 *
 * Options: --quick (a small profile for a busy laptop), --rounds=N, --only=quire,hocuspocus,ywebsocket,
 * --spread-only, --one-document-only; to change a profile's load: --spread-documents=N,
 * --spread-rate=N, --one-document-writers=N, --one-document-rate=N, --seconds=N (measured, per
 * scenario); --postgres=private|shared (the PostgreSQL all three use: see bench/database.ts). The
 * last line printed is one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { COLLAB_NODE_FLAGS } from '../libs/runtime/collab/src/node-flags';
import { cleanRedis, TEST_REDIS_URL, testRedisPrefix } from '../libs/testing/src/databases';
import { freePort } from '../libs/testing/src/test-app';
import { benchDatabase } from './database';
import { LoadPlan, LoadResult, quantile, runLoad } from './collab/load';
import { BenchEnvironment, cpuSeconds, databaseBackendsCpuSeconds, RunningServer, rssMegabytes, ServerName, startHocuspocus, startQuire, startYWebsocket } from './collab/servers';
import { numberOption, option } from './options';

interface Scenario {
  documents: number;
  clientsPerDocument: number;
  rate: number;
  warmUpSeconds: number;
  seconds: number;
  observersPerDocument?: number;
}

const PROFILES: Record<'full' | 'quick', { rounds: number; spread: Scenario; oneDocument: Scenario }> = {
  full: {
    rounds: 3,
    spread: { documents: 500, clientsPerDocument: 4, rate: 1000, warmUpSeconds: 5, seconds: 30 },
    oneDocument: { documents: 1, clientsPerDocument: 400, rate: 100, warmUpSeconds: 5, seconds: 20, observersPerDocument: 40 },
  },
  quick: {
    rounds: 1,
    spread: { documents: 50, clientsPerDocument: 4, rate: 200, warmUpSeconds: 2, seconds: 10 },
    oneDocument: { documents: 1, clientsPerDocument: 50, rate: 50, warmUpSeconds: 2, seconds: 10, observersPerDocument: 20 },
  },
};

interface Figures {
  clients: number;
  docs: number;
  updates_per_s: number;
  p50_ms: number;
  p99_ms: number;
  /** Each round's own p99, in the order run (the p99 above is over every round's receipts). */
  p99_rounds_ms: number[];
  cpu_s: number;
  /** CPU seconds of the bench database's PostgreSQL backends over the measured window. */
  db_cpu_s: number;
  rss_mb: number;
  durability_window_ms: number | null;
  delivered: number;
  error?: string;
}

/** What one round of one server under one scenario measured: the load generator's view and the processes'. */
interface Round extends LoadResult {
  cpuSeconds: number;
  dbCpuSeconds: number;
  peakRssMb: number;
  durabilityWindowMs: number | null;
}

/**
 * The figures of a server over its rounds: latency quantiles over every receipt of every round,
 * CPU seconds per measured window on average, the highest RSS and the longest durability window.
 */
function figuresOf(rounds: readonly Round[]): Figures {
  const latencies = new Float64Array(rounds.reduce((sum, r) => sum + r.latencies.length, 0));
  let offset = 0;
  for (const r of rounds) {
    latencies.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  latencies.sort();
  const mean = (value: (r: Round) => number): number => rounds.reduce((sum, r) => sum + value(r), 0) / rounds.length;
  const expected = rounds.reduce((sum, r) => sum + r.expectedReceipts, 0);
  const windows = rounds.map((r) => r.durabilityWindowMs);
  return {
    clients: rounds[0].clients,
    docs: rounds[0].docs,
    updates_per_s: round(mean((r) => r.updatesPerSecond)),
    p50_ms: round(quantile(latencies, 0.5), 2),
    p99_ms: round(quantile(latencies, 0.99), 2),
    p99_rounds_ms: rounds.map((r) => round(quantile(r.latencies, 0.99), 2)),
    cpu_s: round(mean((r) => r.cpuSeconds), 2),
    db_cpu_s: round(mean((r) => r.dbCpuSeconds), 2),
    rss_mb: round(Math.max(...rounds.map((r) => r.peakRssMb))),
    durability_window_ms: windows.includes(null) ? null : round(Math.max(...(windows as number[]))),
    delivered: expected ? round(rounds.reduce((sum, r) => sum + r.receipts, 0) / expected, 4) : 0,
  };
}

/**
 * Before each server's round: what the one before wrote is vacuumed and checkpointed now, so that
 * an autovacuum or a checkpoint it caused does not fall in the next one's measured window.
 */
async function settleDatabase(pool: Pool): Promise<void> {
  await pool.query('VACUUM (ANALYZE)');
  await pool.query('CHECKPOINT');
}

const PROBE_EVERY_MS = 500;
const PROBE_LIMIT_MS = 20_000;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The people of the bench's project: every load client writes as one of them. */
async function preparePeople(pool: Pool, spread: Scenario, oneDocument: Scenario): Promise<{ projectId: string; users: string[] }> {
  const people = Math.max(spread.documents * spread.clientsPerDocument, oneDocument.clientsPerDocument);
  const [{ id: projectId }] = (await pool.query(`INSERT INTO projects (slug, title) VALUES ('bench-collab', 'Bench') RETURNING id`)).rows;
  const users: string[] = (
    await pool.query(`INSERT INTO users (email, display_name) SELECT 'bench' || g || '@example.org', 'Writer ' || g FROM generate_series(1, $1) g RETURNING id`, [people])
  ).rows.map((r) => r.id);
  await pool.query(`INSERT INTO project_memberships (project_id, user_id, roles) SELECT $1, unnest($2::uuid[]), '{AUTHOR}'`, [projectId, users]);
  return { projectId, users };
}

/**
 * Portraits for one round of a scenario, written by `users` in turn (`clientsPerDocument` each):
 * every round starts from empty documents, as the first did.
 */
async function preparePortraits(pool: Pool, projectId: string, users: string[], scenario: Scenario): Promise<string[]> {
  const documents: string[] = [];
  for (let d = 0; d < scenario.documents; d++) {
    const team = users.slice(d * scenario.clientsPerDocument, (d + 1) * scenario.clientsPerDocument);
    const [{ id: candidateId }] = (await pool.query(`INSERT INTO candidates (project_id, name, status, match_key, surname_key) VALUES ($1, 'c', 'SELECTED', 'c', 'c') RETURNING id`, [projectId])).rows;
    const [{ id }] = (await pool.query(`INSERT INTO portraits (project_id, candidate_id, status, lead_author_id) VALUES ($1, $2, 'DRAFTING', $3) RETURNING id`, [projectId, candidateId, team[0]])).rows;
    await pool.query(`INSERT INTO portrait_co_authors (portrait_id, user_id) SELECT $1, unnest($2::uuid[])`, [id, team.slice(1)]);
    documents.push(`portrait:${id}`);
  }
  return documents;
}

async function measure(server: RunningServer, scenario: Scenario, documents: string[], databaseName: string): Promise<Round> {
  let cpuAtStart = 0;
  let cpuUsed = 0;
  let dbCpuAtStart = new Map<number, number>();
  let dbCpuUsed = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssMegabytes(server.pid));
    } catch {
      // the process is gone; the run reports the error
    }
  }, 250);
  let measuring = false;
  let lastProbe = 0;
  const windows: Promise<number>[] = [];
  const plan: LoadPlan = {
    documents,
    clientsPerDocument: scenario.clientsPerDocument,
    rate: scenario.rate,
    warmUpSeconds: scenario.warmUpSeconds,
    seconds: scenario.seconds,
    observersPerDocument: scenario.observersPerDocument,
    onWindow: (phase) => {
      if (phase === 'start') {
        measuring = true;
        cpuAtStart = cpuSeconds(server.pid);
        dbCpuAtStart = databaseBackendsCpuSeconds(databaseName);
        // Reading the server's own figures now starts their window (Quire resets its event loop histogram).
        void server.details?.().catch(() => undefined);
      } else {
        measuring = false;
        cpuUsed = cpuSeconds(server.pid) - cpuAtStart;
        // Backends that started in the window count from nothing.
        dbCpuUsed = [...databaseBackendsCpuSeconds(databaseName)].reduce((sum, [pid, seconds]) => sum + seconds - (dbCpuAtStart.get(pid) ?? 0), 0);
      }
    },
    onFirstReceipt: (marker, documentName) => {
      if (!measuring || !server.isStored) return;
      const now = performance.now();
      if (now - lastProbe < PROBE_EVERY_MS) return;
      lastProbe = now;
      windows.push(durabilityWindow(server, documentName, marker));
    },
  };
  try {
    const result: LoadResult = await runLoad(server.target, plan, log);
    if (server.details) log(`  ${await server.details()}`);
    const measured = await Promise.all(windows);
    return {
      ...result,
      cpuSeconds: cpuUsed,
      dbCpuSeconds: dbCpuUsed,
      peakRssMb: peakRss,
      durabilityWindowMs: server.isStored ? Math.max(0, ...measured) : null,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * How long after `marker` reached a client it was still not stored: checked at once (0 when the
 * update was in the store before anyone received it), then every 20 ms.
 */
async function durabilityWindow(server: RunningServer, documentName: string, marker: string): Promise<number> {
  const receivedAt = performance.now();
  const isStored = server.isStored as NonNullable<RunningServer['isStored']>;
  if (await isStored(documentName, marker)) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const waited = performance.now() - receivedAt;
    if (await isStored(documentName, marker)) return waited;
    if (waited > PROBE_LIMIT_MS) return PROBE_LIMIT_MS;
  }
}

function describe(name: string, f: Figures): string {
  if (f.error) return `  ${name.padEnd(15)} failed: ${f.error}`;
  return `  ${name.padEnd(15)} ${String(f.clients).padStart(5)} clients ${String(f.docs).padStart(4)} docs ${String(f.updates_per_s).padStart(7)} upd/s  p50 ${String(f.p50_ms).padStart(7)} ms  p99 ${String(f.p99_ms).padStart(8)} ms  cpu ${String(f.cpu_s).padStart(6)} s (PostgreSQL ${String(f.db_cpu_s).padStart(5)} s)  rss ${String(f.rss_mb).padStart(6)} MB  delivered ${(f.delivered * 100).toFixed(1)}%  durability window ${f.durability_window_ms === null ? 'none (never stored)' : `${f.durability_window_ms} ms`}`;
}

async function main(): Promise<void> {
  const profileName = option('quick') !== undefined ? 'quick' : 'full';
  const { rounds, spread, oneDocument } = PROFILES[profileName];
  const profile = {
    rounds: numberOption('rounds', rounds),
    spread: { ...spread, documents: numberOption('spread-documents', spread.documents), rate: numberOption('spread-rate', spread.rate), seconds: numberOption('seconds', spread.seconds) },
    oneDocument: { ...oneDocument, clientsPerDocument: numberOption('one-document-writers', oneDocument.clientsPerDocument), rate: numberOption('one-document-rate', oneDocument.rate), seconds: numberOption('seconds', oneDocument.seconds) },
  };
  const servers: readonly ServerName[] = ['quire', 'hocuspocus', 'ywebsocket'];
  const only = (option('only') ?? servers.join(',')).split(',') as ServerName[];
  const unknown = only.filter((name) => !servers.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown server ${unknown.join(', ')} (known: ${servers.join(', ')})`);
  const scenarios = option('spread-only') !== undefined ? ['spread'] : option('one-document-only') !== undefined ? ['oneDocument'] : ['spread', 'oneDocument'];
  // The npm script gives the load generator the collab service's semi-space: its own collections would otherwise count as every server's latency.
  if (!COLLAB_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) log(`warning: the load generator runs without ${COLLAB_NODE_FLAGS.join(' ')} (use npm run bench:collab); its collections will show in the latencies`);
  log(`bench:collab (${profileName}): spread ${profile.spread.documents * profile.spread.clientsPerDocument} clients over ${profile.spread.documents} documents at ${profile.spread.rate} updates/s; one document with ${profile.oneDocument.clientsPerDocument} writers at ${profile.oneDocument.rate} updates/s; ${profile.rounds} round(s), the servers taking turns`);

  const database = await benchDatabase('benchcollab');
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const redisPrefix = testRedisPrefix('benchcollab');
  const results: Record<string, Record<string, Figures>> = { spread: {}, oneDocument: {} };
  try {
    const { projectId, users } = await preparePeople(pool, profile.spread, profile.oneDocument);
    const env: BenchEnvironment = { databaseUrl: database.url, redisUrl: TEST_REDIS_URL, redisPrefix, ticketSecret: 'bench-collab-ticket-secret-0123456789abcdef', pool, userOf: (i) => users[i] };
    const starters: Record<ServerName, () => Promise<RunningServer>> = {
      quire: async () => startQuire(env, await freePort()),
      hocuspocus: async () => startHocuspocus(env, await freePort()),
      ywebsocket: async () => startYWebsocket(await freePort()),
    };
    for (const scenario of scenarios as ('spread' | 'oneDocument')[]) {
      log(`\n${scenario === 'spread' ? 'Spread over many documents' : 'Many writers on one document'}:`);
      const rounds = new Map<ServerName, Round[]>(only.map((name) => [name, []]));
      const failures = new Map<ServerName, string>();
      for (let r = 1; r <= profile.rounds; r++) {
        const documents = await preparePortraits(pool, projectId, users, profile[scenario]);
        for (const name of only) {
          if (failures.has(name)) continue;
          // Each server starts fresh for each round: nothing loaded, nothing cached.
          let server: RunningServer | undefined;
          try {
            await settleDatabase(pool);
            server = await starters[name]();
            const measured = await measure(server, profile[scenario], documents, new URL(database.url).pathname.slice(1));
            rounds.get(name)?.push(measured);
            log(describe(profile.rounds > 1 ? `${name} ${r}/${profile.rounds}` : name, figuresOf([measured])));
          } catch (error) {
            failures.set(name, error instanceof Error ? error.message.split('\n')[0] : String(error));
            log(`  ${name} failed: ${failures.get(name)}`);
          } finally {
            await server?.stop();
          }
        }
      }
      if (profile.rounds > 1) log(`  over ${profile.rounds} rounds:`);
      for (const name of only) {
        const failure = failures.get(name);
        results[scenario][name] = failure === undefined
          ? figuresOf(rounds.get(name) ?? [])
          : { clients: 0, docs: 0, updates_per_s: 0, p50_ms: NaN, p99_ms: NaN, p99_rounds_ms: [], cpu_s: NaN, db_cpu_s: NaN, rss_mb: NaN, durability_window_ms: null, delivered: 0, error: failure };
        if (profile.rounds > 1) log(describe(name, results[scenario][name]));
      }
    }
  } finally {
    await pool.end();
    await database.drop();
    await cleanRedis(redisPrefix);
  }

  const ratio = (scenario: 'spread' | 'oneDocument'): number | null => {
    const q = results[scenario]['quire'];
    const h = results[scenario]['hocuspocus'];
    return q && h && !q.error && !h.error ? round(q.p99_ms / h.p99_ms, 3) : null;
  };
  const spreadQuire = results['spread']['quire'];
  const oneQuire = results['oneDocument']['quire'];
  const targets = {
    spread_p99_at_most_20_ms: spreadQuire && !spreadQuire.error ? spreadQuire.p99_ms <= 20 : null,
    one_document_p99_at_most_100_ms: oneQuire && !oneQuire.error ? oneQuire.p99_ms <= 100 : null,
    p99_no_worse_than_hocuspocus: ratio('spread') === null ? null : (ratio('spread') as number) <= 1 && (ratio('oneDocument') ?? 0) <= 1,
  };
  log(`\np99 Quire / Hocuspocus: spread ${ratio('spread') ?? 'n/a'}, one document ${ratio('oneDocument') ?? 'n/a'}`);
  log(JSON.stringify({ profile: profileName, rounds: profile.rounds, ...results['spread'], one_document: results['oneDocument'], p99_ratio_vs_hocuspocus: { spread: ratio('spread'), one_document: ratio('oneDocument') }, targets }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
