/**
 * `npm run bench:voting`: 100,000 votes from 10,000 members cast through the GraphQL API by
 * concurrent clients, against the api and the worker running as their own processes (as they are
 * deployed) on a database and Redis key prefix of the bench's own. It prints:
 * - accepted votes per second and the p50/p99 latency of one vote as a client sees it;
 * - tally lag: the votes go in waves; after each wave, the time from the last vote's answer to a
 *   leaderboard pushed over the subscription (graphql-ws) that agrees with a recount of the
 *   votes table; p99 over the waves;
 * - the peer: plain single-row INSERTs per second on the same PostgreSQL in the same run, with the
 *   same number of concurrent clients (autocommit, one row each), for two seconds before the votes
 *   and after each third of the waves, and the ratio of votes to that;
 * - lost and double-counted votes: accepted votes missing from (or counted more than once in) the
 *   votes table or the final leaderboard;
 * - CPU per vote of the api, the worker, PostgreSQL's backends and the clients, and how many cores
 *   they kept busy on average while the votes went in (their CPU from the first vote to the last
 *   wave's recount, over the time the waves took).
 * The last line printed is one JSON object.
 *
 * Options: --members=N (10000), --votes-per-member=N (10), --candidates=N (1000), --clients=N (32),
 * --waves=N (20), --postgres=private|shared and --pg-statements (see bench/database.ts).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import { Pool } from 'pg';
import { Pool as UndiciPool } from 'undici';
import WebSocket from 'ws';
import { hashToken, newToken } from '../libs/domain/identity/src/secrets';
import { cleanRedis, removeTestDataDir, TEST_REDIS_URL, testDataDir, testRedisPrefix } from '../libs/testing/src/databases';
import { stopChildProcess } from '../libs/testing/src/child-process';
import { seededRandom } from '../libs/testing/src/seeded-random';
import { freePort } from '../libs/testing/src/test-app';
import { benchDatabase } from './database';
import { numberOption } from './options';

const WORKSPACE = resolve(__dirname, '..');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

interface Seeded {
  projectId: string;
  roundId: string;
  candidates: string[];
  members: { id: string; token: string }[];
  editorToken: string;
}

/** Members, sessions, candidates with a published nomination each, and a round open for voting, written directly. */
async function seed(pool: Pool, memberCount: number, candidateCount: number, votesPerMember: number): Promise<Seeded> {
  const [{ id: projectId }] = (await pool.query(`INSERT INTO projects (slug, title) VALUES ('stembench', 'Stembench') RETURNING id`)).rows;
  const people = Array.from({ length: memberCount + 1 }, (_, i) => ({ id: randomUUID(), token: newToken(), email: `lid${i}@bench.example` }));
  for (let start = 0; start < people.length; start += 5000) {
    const batch = people.slice(start, start + 5000);
    const json = JSON.stringify(batch.map((p) => ({ id: p.id, email: p.email, hash: hashToken(p.token) })));
    await pool.query(`INSERT INTO users (id, email, display_name) SELECT x.id, x.email, x.email FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, email text)`, [json]);
    await pool.query(`INSERT INTO sessions (user_id, token_hash, kind, expires_at) SELECT x.id, x.hash, 'API', now() + interval '1 day' FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, hash text)`, [json]);
  }
  const [editor, ...members] = people;
  await pool.query(`INSERT INTO project_memberships (project_id, user_id, roles) VALUES ($1, $2, ARRAY['EDITOR', 'MEMBER'])`, [projectId, editor.id]);
  await pool.query(`INSERT INTO project_memberships (project_id, user_id, roles) SELECT $1, unnest($2::uuid[]), ARRAY['MEMBER']`, [projectId, members.map((m) => m.id)]);
  const rules = {
    DRAFT: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: false },
    NOMINATING: { nominate: ['MEMBER'], endorse: ['MEMBER'], comment: ['MEMBER'], vote: [], talliesVisible: false },
    VOTING: { nominate: [], endorse: ['MEMBER'], comment: ['MEMBER'], vote: ['MEMBER'], talliesVisible: true },
    CLOSED: { nominate: [], endorse: [], comment: ['MEMBER'], vote: [], talliesVisible: true },
  };
  const [{ id: roundId }] = (await pool.query(`INSERT INTO rounds (project_id, title, phase, rules, votes_per_member) VALUES ($1, 'Stemronde', 'VOTING', $2, $3) RETURNING id`, [projectId, JSON.stringify(rules), votesPerMember])).rows;
  const candidates = Array.from({ length: candidateCount }, () => randomUUID());
  await pool.query(
    `INSERT INTO candidates (id, project_id, name, match_key, surname_key) SELECT id, $1, 'Kandidaat ' || n, 'kandidaat ' || n, 'kandidaat' FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [projectId, candidates],
  );
  await pool.query(
    `INSERT INTO nominations (project_id, round_id, candidate_id, nominator_id, motivation, status) SELECT $1, $2, unnest($3::uuid[]), $4, 'Een portret waard.', 'PUBLISHED'`,
    [projectId, roundId, candidates, editor.id],
  );
  await pool.query(`ANALYZE`);
  return { projectId, roundId, candidates, members, editorToken: editor.token };
}

/** Each member's votes: distinct candidates, popular ones more often (Zipf-like), in a shuffled order. */
function plannedVotes(members: Seeded['members'], candidates: string[], votesPerMember: number, random: () => number): { token: string; memberId: string; candidateId: string }[] {
  const weights = candidates.map((_, rank) => 1 / (rank + 5));
  const total = weights.reduce((sum, w) => sum + w, 0);
  const pick = (): number => {
    let r = random() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) <= 0) return i;
    return weights.length - 1;
  };
  const votes = members.flatMap((m) => {
    const chosen = new Set<number>();
    while (chosen.size < votesPerMember) chosen.add(pick());
    return [...chosen].map((i) => ({ token: m.token, memberId: m.id, candidateId: candidates[i] }));
  });
  for (let i = votes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [votes[i], votes[j]] = [votes[j], votes[i]];
  }
  return votes;
}

function startProcess(name: string, script: string, env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  // BENCH_PROFILE=<dir>: CPU profiles of the api and the worker, to see where a vote's time goes.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', script], { cwd: WORKSPACE, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => lines.push(`[${name}] ${line}`));
  return { child, lines };
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The peer: plain single-row INSERTs, autocommit, from `clients` connections at once. It runs in
 * slices spread over the run (before the votes and between waves), since this shared machine's
 * speed drifts by a third over minutes: its rate is what all the slices inserted over their time.
 */
class PlainInsertPeer {
  private inserted = 0;
  private runMs = 0;
  private created = false;

  constructor(private readonly pool: Pool, private readonly clients: number) {}

  async run(seconds: number): Promise<number> {
    if (!this.created) {
      await this.pool.query(`CREATE TABLE bench_plain_votes (id bigserial PRIMARY KEY, round_id uuid NOT NULL, user_id uuid NOT NULL, candidate_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
      this.created = true;
    }
    const started = performance.now();
    const until = started + seconds * 1000;
    let count = 0;
    await Promise.all(
      Array.from({ length: this.clients }, async () => {
        while (performance.now() < until) {
          await this.pool.query(`INSERT INTO bench_plain_votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3)`, [randomUUID(), randomUUID(), randomUUID()]);
          count += 1;
        }
      }),
    );
    const ms = performance.now() - started;
    this.inserted += count;
    this.runMs += ms;
    return count / (ms / 1000);
  }

  get rate(): number {
    return this.inserted / (this.runMs / 1000);
  }

  async drop(): Promise<void> {
    if (this.created) await this.pool.query(`DROP TABLE bench_plain_votes`);
  }
}

type Standings = Map<string, number>;

/** The leaderboard as the subscription pushes it, with the time each update arrived. */
function watchLeaderboard(url: string, token: string, roundId: string): { updates: { at: number; standings: Standings }[]; dispose: () => Promise<void> } {
  const updates: { at: number; standings: Standings }[] = [];
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const unsubscribe = client.subscribe<{ leaderboardChanged: { entries: { candidateId: string; votes: number }[] } }>(
    { query: 'subscription($r: ID!) { leaderboardChanged(roundId: $r, first: 5000) { revision entries { candidateId votes } } }', variables: { r: roundId } },
    {
      next: (message) => {
        const entries = message.data?.leaderboardChanged.entries ?? [];
        updates.push({ at: performance.now(), standings: new Map(entries.filter((e) => e.votes !== 0).map((e) => [e.candidateId, e.votes])) });
      },
      error: (error) => process.stderr.write(`leaderboard subscription: ${JSON.stringify(error)}\n`),
      complete: () => undefined,
    },
  );
  return { updates, dispose: async () => { unsubscribe(); await client.dispose(); } };
}

async function recount(pool: Pool, roundId: string): Promise<Standings> {
  const { rows } = await pool.query(`SELECT candidate_id, count(*)::int AS n FROM votes WHERE round_id = $1 GROUP BY candidate_id`, [roundId]);
  return new Map(rows.map((r: { candidate_id: string; n: number }) => [r.candidate_id, r.n]));
}

/** CPU seconds used so far by the api and worker processes, each of the database's server processes, and this process (the clients). */
interface CpuReading {
  api: number;
  worker: number;
  postgres: Map<number, number>;
  clients: number;
}

async function readCpu(pool: Pool, children: { api: ChildProcess; worker: ChildProcess }): Promise<CpuReading> {
  const ofPid = (pid: number | undefined): number => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  };
  const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const usage = process.cpuUsage();
  return {
    api: ofPid(children.api.pid), worker: ofPid(children.worker.pid),
    postgres: new Map(rows.map((r: { pid: number }) => [r.pid, ofPid(r.pid)])), clients: (usage.user + usage.system) / 1e6,
  };
}

/** Where the voting's CPU went, in seconds: from one reading to a later one (seeding and the peer left out). */
function cpuBetween(start: CpuReading, end: CpuReading): { api: number; worker: number; postgres: number; clients: number } {
  const postgres = [...end.postgres].reduce((sum, [pid, seconds]) => sum + seconds - (start.postgres.get(pid) ?? 0), 0);
  return { api: end.api - start.api, worker: end.worker - start.worker, postgres, clients: end.clients - start.clients };
}

function same(a: Standings, b: Standings): boolean {
  return a.size === b.size && [...a].every(([id, n]) => b.get(id) === n);
}

async function main(): Promise<void> {
  const memberCount = numberOption('members', 10_000);
  const votesPerMember = numberOption('votes-per-member', 10);
  const candidateCount = numberOption('candidates', 1000);
  const clients = numberOption('clients', 32);
  const waves = numberOption('waves', 20);
  const database = await benchDatabase('votebench');
  const prefix = testRedisPrefix('votebench');
  const pool = new Pool({ connectionString: database.url, max: clients });
  const processes: ChildProcess[] = [];
  try {
    const started = performance.now();
    const seeded = await seed(pool, memberCount, candidateCount, votesPerMember);
    const votes = plannedVotes(seeded.members, seeded.candidates, votesPerMember, seededRandom(20151101));
    process.stdout.write(`Seeded ${memberCount} members with sessions, ${candidateCount} candidates and a voting round in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    // Eight seconds of the peer in all: two before the votes, two after each third of the waves.
    const peer = new PlainInsertPeer(pool, clients);
    const peerSlice = async (): Promise<void> => void process.stdout.write(`Peer: ${(await peer.run(2)).toFixed(0)} plain single-row INSERTs/s with ${clients} clients\n`);
    await peerSlice();

    const port = await freePort();
    const env = {
      NODE_ENV: 'production', PORT: String(port), DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUIRE_REDIS_PREFIX: prefix,
      QUIRE_DATA_DIR: testDataDir(prefix), LOG_LEVEL: 'warn', WEB_DIST_DIR: '/nonexistent',
    };
    const api = startProcess('api', 'apps/api/src/main.ts', env);
    const worker = startProcess('worker', 'apps/worker/src/main.ts', env);
    processes.push(api.child, worker.child);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(async () => (await fetch(`${url}/health/ready`)).ok, 'the api to be ready');
    } catch (error) {
      process.stderr.write([...api.lines, ...worker.lines].join('\n'));
      throw error;
    }
    const watcher = watchLeaderboard(`ws://127.0.0.1:${port}/graphql`, seeded.editorToken, seeded.roundId);
    await waitUntil(async () => watcher.updates.length > 0, 'the first leaderboard');

    // One keep-alive connection per client, as browsers keep theirs; undici's request costs the
    // load generator a fraction of what fetch does, which leaves the cores to the servers.
    const http = new UndiciPool(url, { connections: clients });
    const mutation = 'mutation($r: ID!, $c: ID!) { castVote(roundId: $r, candidateId: $c) { votesCast } }';
    await database.resetStatements();
    const cpuAtStart = await readCpu(pool, { api: api.child, worker: worker.child });
    const peerCpu: ReturnType<typeof cpuBetween>[] = [];
    const latencies: number[] = [];
    const accepted = new Map<string, number>();
    const refused = new Map<string, number>();
    const lags: number[] = [];
    let votingMs = 0;
    const perWave = Math.ceil(votes.length / waves);
    for (let wave = 0; wave < waves; wave++) {
      const batch = votes.slice(wave * perWave, (wave + 1) * perWave);
      let next = 0;
      let lastAnswer = 0;
      const waveStart = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          for (let i = next++; i < batch.length; i = next++) {
            const vote = batch[i];
            const sent = performance.now();
            const res = await http.request({
              path: '/graphql',
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${vote.token}` },
              body: JSON.stringify({ query: mutation, variables: { r: seeded.roundId, c: vote.candidateId } }),
            });
            const body = (await res.body.json()) as { data?: { castVote?: { votesCast: number } }; errors?: { extensions?: { code?: string } }[] };
            const answered = performance.now();
            latencies.push(answered - sent);
            lastAnswer = Math.max(lastAnswer, answered);
            if (body.data?.castVote) accepted.set(vote.candidateId, (accepted.get(vote.candidateId) ?? 0) + 1);
            else {
              const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${res.statusCode}`;
              refused.set(code, (refused.get(code) ?? 0) + 1);
            }
          }
        }),
      );
      votingMs += lastAnswer - waveStart;
      const truth = await recount(pool, seeded.roundId);
      await waitUntil(async () => watcher.updates.some((u) => same(u.standings, truth)), `a leaderboard that agrees with the recount after wave ${wave + 1}`, 30_000);
      const agreeing = watcher.updates.find((u) => u.at >= lastAnswer - 1000 && same(u.standings, truth)) ?? watcher.updates.find((u) => same(u.standings, truth));
      lags.push(Math.max(0, (agreeing?.at ?? lastAnswer) - lastAnswer));
      watcher.updates.splice(0, watcher.updates.length - 1);
      process.stdout.write(`wave ${String(wave + 1).padStart(2)}: ${batch.length} votes in ${((lastAnswer - waveStart) / 1000).toFixed(2)} s, tally lag ${lags[lags.length - 1].toFixed(0)} ms\n`);
      if ([Math.floor(waves / 3), Math.floor((2 * waves) / 3), waves].includes(wave + 1)) {
        // The peer's CPU is not the votes'.
        const before = await readCpu(pool, { api: api.child, worker: worker.child });
        await peerSlice();
        peerCpu.push(cpuBetween(before, await readCpu(pool, { api: api.child, worker: worker.child })));
      }
    }
    const acceptedTotal = [...accepted.values()].reduce((sum, n) => sum + n, 0);
    const stored = await recount(pool, seeded.roundId);
    const finalBoard = watcher.updates[watcher.updates.length - 1].standings;
    let lost = 0;
    let doubleCounted = 0;
    for (const id of new Set([...accepted.keys(), ...stored.keys(), ...finalBoard.keys()])) {
      const want = accepted.get(id) ?? 0;
      // A vote is lost when it is missing from the votes or the leaderboard, counted twice when either has it more often.
      lost += Math.max(0, want - (stored.get(id) ?? 0), want - (finalBoard.get(id) ?? 0));
      doubleCounted += Math.max(0, (stored.get(id) ?? 0) - want, (finalBoard.get(id) ?? 0) - want);
    }
    await watcher.dispose();
    await http.close();

    const cpuAll = cpuBetween(cpuAtStart, await readCpu(pool, { api: api.child, worker: worker.child }));
    const cpu = { ...cpuAll };
    for (const slice of peerCpu) for (const key of Object.keys(cpu) as (keyof typeof cpu)[]) cpu[key] -= slice[key];
    const statements = await database.statementReport();
    if (statements) process.stdout.write(`\nStatements by the database's time while voting:\n${statements}\n`);
    const votesPerSecond = acceptedTotal / (votingMs / 1000);
    const insertsPerSecond = peer.rate;
    await peer.drop();
    const coresBusy = (cpu.api + cpu.worker + cpu.postgres + cpu.clients) / (votingMs / 1000);
    const rows: [string, string][] = [
      ['votes cast (accepted)', `${acceptedTotal} of ${votes.length}${refused.size ? ` (refused: ${JSON.stringify(Object.fromEntries(refused))})` : ''}`],
      ['members, candidates, clients', `${memberCount}, ${candidateCount}, ${clients}`],
      ['accepted votes per second', votesPerSecond.toFixed(0)],
      ['latency p50 / p99', `${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 99).toFixed(1)} ms`],
      ['tally lag p50 / p99 (over waves)', `${percentile(lags, 50).toFixed(0)} ms / ${percentile(lags, 99).toFixed(0)} ms`],
      ['plain single-row INSERTs per second (peer)', insertsPerSecond.toFixed(0)],
      ['votes/s as a share of plain INSERTs/s', `${((100 * votesPerSecond) / insertsPerSecond).toFixed(1)}%`],
      ['lost / double-counted', `${lost} / ${doubleCounted}`],
      ['CPU ms per vote (api/worker/pg/clients)', [cpu.api, cpu.worker, cpu.postgres, cpu.clients].map((s) => ((1000 * s) / votes.length).toFixed(2)).join(', ')],
      // Well below the machine's cores, the vote's latency rather than the machine bounds the rate.
      ['cores busy while voting (these processes)', coresBusy.toFixed(2)],
    ];
    process.stdout.write('\n');
    for (const [label, value] of rows) process.stdout.write(`${label.padEnd(44)}${value}\n`);
    const summary = {
      votes_per_s: Math.round(votesPerSecond),
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      tally_lag_p99_ms: Math.round(percentile(lags, 99)),
      insert_ratio: Number((votesPerSecond / insertsPerSecond).toFixed(3)),
      lost,
      double_counted: doubleCounted,
      accepted: acceptedTotal,
      plain_inserts_per_s: Math.round(insertsPerSecond),
      clients,
      cpu_ms_per_vote: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(((1000 * v) / votes.length).toFixed(2))])),
      cores_busy: Number(coresBusy.toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    for (const child of processes) await stopChildProcess(child);
    // pg's pool resolves end() before its connections have closed; dropping the database (FORCE)
    // then ends the ones still closing, which the pool would raise as an unhandled error.
    pool.on('error', () => undefined);
    await pool.end();
    await database.drop();
    await cleanRedis(prefix);
    removeTestDataDir(prefix);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
