import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { signTicket } from '@quire/collab-core';
import { COLLAB_NODE_FLAGS } from '../../libs/runtime/collab/src/node-flags';
import { stopChildProcess } from '../../libs/testing/src/child-process';
import { LoadTarget } from './load';

export type ServerName = 'quire' | 'hocuspocus' | 'ywebsocket';

export interface RunningServer {
  name: ServerName;
  pid: number;
  target: LoadTarget;
  /** Whether an update carrying `marker` is in the server's store now; null for a server that stores nothing. */
  isStored: ((documentName: string, marker: string) => Promise<boolean>) | null;
  /** What the server says about its own timing, for the report. */
  details?: () => Promise<string>;
  stop(): Promise<void>;
}

export interface BenchEnvironment {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  ticketSecret: string;
  pool: Pool;
  /** The person each load client index connects as (Quire checks access per person). */
  userOf(clientIndex: number): string;
}

const WORKSPACE = resolve(__dirname, '../..');
const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

/** User plus system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * CPU seconds used so far by each PostgreSQL backend on this machine that serves `database` (a
 * backend's process title names its database), for what storing costs beside the collab process.
 */
export function databaseBackendsCpuSeconds(database: string): Map<number, number> {
  const backends = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(' ').includes(database)) backends.set(Number(pid), cpuSeconds(Number(pid)));
    } catch {
      // the process is gone
    }
  }
  return backends;
}

export function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

async function launch(args: string[], env: Record<string, string>, ready: () => Promise<boolean>, label: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: WORKSPACE, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    if (process.env['BENCH_SERVER_OUTPUT']) process.stderr.write(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode}:\n${output}`);
    if (await ready()) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${label} did not start:\n${output}`);
}


/** Extra node flags for one server's process from an environment variable, e.g. --cpu-prof or --trace-gc to look inside it. */
function extraNodeArgs(variable: 'BENCH_QUIRE_NODE_ARGS' | 'BENCH_HOCUSPOCUS_NODE_ARGS'): string[] {
  return process.env[variable]?.split(' ').filter(Boolean) ?? [];
}

const answers = (url: string) => (): Promise<boolean> => fetch(url).then((r) => r.status < 500, () => false);

export async function startQuire(env: BenchEnvironment, port: number): Promise<RunningServer> {
  const child = await launch(
    // Quire runs with the flags it is deployed with.
    [...COLLAB_NODE_FLAGS, ...extraNodeArgs('BENCH_QUIRE_NODE_ARGS'), '-r', '@swc-node/register', 'apps/collab/src/main.ts'],
    {
      NODE_ENV: 'production', DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUIRE_REDIS_PREFIX: env.redisPrefix, QUIRE_DATA_DIR: `/tmp/${env.redisPrefix}`,
      COLLAB_PORT: String(port), COLLAB_TICKET_SECRET: env.ticketSecret, LOG_LEVEL: 'warn',
      COLLAB_MAX_CONNECTIONS_PER_DOCUMENT: '5000', COLLAB_MAX_PENDING_CONNECTIONS: '2000',
    },
    answers(`http://127.0.0.1:${port}/health/ready`),
    'Quire collab',
  );
  const expiresAt = Date.now() + 6 * 3600_000;
  return {
    name: 'quire',
    pid: child.pid as number,
    target: {
      framing: 'y-websocket',
      url: (documentName, i) => `ws://127.0.0.1:${port}/collab/${documentName}?ticket=${signTicket(env.ticketSecret, { userId: env.userOf(i), documentName, expiresAt })}`,
    },
    isStored: async (documentName, marker) =>
      (await env.pool.query(
        `SELECT EXISTS (SELECT 1 FROM collab_updates WHERE document_name = $1 AND position($2::bytea IN update) > 0)
             OR EXISTS (SELECT 1 FROM collab_documents WHERE name = $1 AND position($2::bytea IN snapshot) > 0) AS stored`,
        [documentName, Buffer.from(marker)],
      )).rows[0].stored,
    details: async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const figure = (name: string): string => /^quire_collab_(\S+) (\S+)$/m.exec(text.split('\n').find((l) => l.startsWith(`quire_collab_${name} `)) ?? '')?.[2] ?? '?';
      const updatesPerAppend = Number(figure('stored_updates_total')) / Number(figure('appends_total'));
      return `inside Quire: ${updatesPerAppend.toFixed(1)} updates per append statement, p50 ${figure('append_p50_ms')} ms, p99 ${figure('append_p99_ms')} ms; accept to relay p50 ${figure('accept_to_relay_p50_ms')} ms, p99 ${figure('accept_to_relay_p99_ms')} ms; event loop delay p99 ${Number(figure('event_loop_delay_p99_ms')).toFixed(1)} ms`;
    },
    stop: () => stopChildProcess(child, 'SIGTERM', 15_000),
  };
}

export async function startHocuspocus(env: BenchEnvironment, port: number): Promise<RunningServer> {
  const child = await launch([...extraNodeArgs('BENCH_HOCUSPOCUS_NODE_ARGS'), '-r', '@swc-node/register', 'bench/collab/hocuspocus-server.ts'], { DATABASE_URL: env.databaseUrl, PORT: String(port), NODE_ENV: 'production' }, answers(`http://127.0.0.1:${port}/`), 'Hocuspocus');
  return {
    name: 'hocuspocus',
    pid: child.pid as number,
    target: { framing: 'hocuspocus', url: () => `ws://127.0.0.1:${port}` },
    isStored: async (documentName, marker) =>
      (await env.pool.query(`SELECT EXISTS (SELECT 1 FROM hocuspocus_documents WHERE name = $1 AND position($2::bytea IN data) > 0) AS stored`, [documentName, Buffer.from(marker)])).rows[0].stored,
    stop: () => stopChildProcess(child, 'SIGTERM', 15_000),
  };
}

export async function startYWebsocket(port: number): Promise<RunningServer> {
  const child = await launch(['node_modules/@y/websocket-server/src/server.js'], { HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' }, answers(`http://127.0.0.1:${port}/`), 'y-websocket server');
  return {
    name: 'ywebsocket',
    pid: child.pid as number,
    target: { framing: 'y-websocket', url: (documentName) => `ws://127.0.0.1:${port}/${documentName}` },
    isStored: null,
    stop: () => stopChildProcess(child, 'SIGTERM', 15_000),
  };
}
