import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { outboxJobId, QUEUE_NAMES, QUEUES, QueueName } from './jobs';
import { OUTBOX_CHANNEL } from './outbox';
import { createFailFastRedis } from './redis';

interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: string;
  payload: unknown;
  /** bigint, so a job due in months does not overflow; pg returns it as a string. */
  delay_ms: string;
}

export interface RelayOptions {
  dataSource: DataSource;
  /** A pg connection string for the LISTEN connection that wakes the relay on commit. */
  databaseUrl: string;
  /** The relay opens a Redis connection of its own that fails fast (see `createFailFastRedis`). */
  redisUrl: string;
  prefix: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** Pause between passes; a commit wakes the relay earlier through LISTEN/NOTIFY. */
  pollMs?: number;
  /** After a failed pass the pause doubles per failure, up to this. */
  maxBackoffMs?: number;
  /** How long a relayed row may stay unprocessed before its job is added again (Redis may have lost it). */
  reassertAfterSeconds?: number;
  /** Rows due later than this stay in PostgreSQL for now, so Redis only holds work due soon. */
  dispatchAheadSeconds?: number;
  /** Adding jobs that takes longer fails the pass and rolls back its transaction (BullMQ would
   * wait without end for a Redis that was down when the relay started). */
  redisTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

type RowSelection = 'pending' | 'unprocessed';

/**
 * Moves committed outbox rows into BullMQ, so a job exists exactly when the change that caused it
 * committed, even while Redis is down: rows wait in PostgreSQL and the relay backs off and tries
 * again. Each row becomes the job `outbox-<id>`, added and marked in one transaction that holds
 * the row locked (`FOR UPDATE SKIP LOCKED`, so concurrent relays take disjoint rows):
 * - a relay that dies after adding and before committing leaves the row pending; the next pass
 *   adds it again and BullMQ ignores the known id (or, if the job already ran and was removed,
 *   the processor finds its receipt);
 * - a row whose job has not been processed `reassertAfterSeconds` after it was relayed (and was
 *   due) is added again, which recreates a job that a Redis restart without persistence lost and
 *   does nothing to a job that still exists: waiting, running, retrying or failed for good;
 * - processors settle their row in the transaction of their work (`idempotentProcessor`), so a
 *   processed or dead row is never added again, and a receipt guards against anything else.
 */
export class OutboxRelay {
  private readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly batchSize: number;
  private listener: Client | undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private wakeRequested = false;
  private endPause: ((reason: 'wake' | 'stop') => void) | undefined;

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.redis = createFailFastRedis(options.redisUrl);
    // Connection errors reach `onError` through the pass that hits them; unheard, ioredis and
    // BullMQ would print each reconnect attempt.
    this.redis.on('error', () => undefined);
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection: this.redis, prefix: options.prefix, defaultJobOptions: jobOptions(name) });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
  }

  /** Relays in the background until `stop()`: at once, on every commit that wrote a row, and every `pollMs`. */
  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the pass in progress, then closes the relay's connections. */
  async stop(): Promise<void> {
    this.running = false;
    this.endPause?.('stop');
    await this.loop;
    await this.unlisten();
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  /** Relays every row that is due (or due within `dispatchAheadSeconds`); returns how many. */
  relayPending(): Promise<number> {
    return this.relayAll('pending');
  }

  /** Adds again the jobs of rows relayed a while ago and still not processed; returns how many. */
  reassertUnprocessed(): Promise<number> {
    return this.relayAll('unprocessed');
  }

  /**
   * The second step of relaying a batch, after its jobs were added. A separate method so that a
   * relay crashing between the two steps can be reproduced (test/jobs/relay.spec.ts).
   */
  protected async markDispatched(em: EntityManager, ids: string[]): Promise<void> {
    await em.query(`UPDATE outbox SET dispatched_at = now(), relay_count = relay_count + 1 WHERE id = ANY($1::bigint[])`, [ids]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.listen();
        await this.relayPending();
        await this.reassertUnprocessed();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      const pollMs = this.options.pollMs ?? 1000;
      if (failures === 0) await this.pause(pollMs, true);
      // A failing Redis or PostgreSQL is not hammered, not even by a stream of commits.
      else await this.pause(Math.min(pollMs * 2 ** failures, this.options.maxBackoffMs ?? 30_000), false);
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.endPause = (reason) => {
        if (reason === 'stop' || wakeable) finish();
      };
      if (!this.running || (wakeable && this.wakeRequested)) finish();
    });
  }

  private wake(): void {
    this.wakeRequested = true;
    this.endPause?.('wake');
  }

  /** (Re)opens the LISTEN connection; a lost one is reopened on the next pass, and polling covers the gap. */
  private async listen(): Promise<void> {
    if (this.listener) return;
    const listener = new Client({ connectionString: this.options.databaseUrl });
    listener.on('notification', () => this.wake());
    listener.on('error', (error) => {
      this.options.onError?.(error);
      if (this.listener === listener) this.listener = undefined;
      listener.end().catch(() => undefined);
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      await listener.end().catch(() => undefined);
      throw error;
    }
    this.listener = listener;
  }

  private async unlisten(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async relayAll(selection: RowSelection): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.relayBatch(selection);
      total += count;
      if (count < this.batchSize) return total;
    }
  }

  private async relayBatch(selection: RowSelection): Promise<number> {
    return this.options.dataSource.transaction(async (em) => {
      const rows: OutboxRow[] = await em.query(selection === 'pending' ? SELECT_PENDING : SELECT_UNPROCESSED, [
        QUEUE_NAMES,
        this.batchSize,
        selection === 'pending' ? (this.options.dispatchAheadSeconds ?? 3600) : (this.options.reassertAfterSeconds ?? 60),
      ]);
      if (rows.length === 0) return 0;
      await this.addJobs(rows);
      await this.markDispatched(em, rows.map((row) => row.id));
      return rows.length;
    });
  }

  private async addJobs(rows: OutboxRow[]): Promise<void> {
    for (const [name, queue] of this.queues) {
      const jobs = rows
        .filter((row) => row.queue === name)
        .map((row) => ({ name: row.job_name, data: row.payload, opts: { jobId: outboxJobId(row.id), delay: Number(row.delay_ms) } }));
      if (jobs.length) await withTimeout(queue.addBulk(jobs), this.options.redisTimeoutMs ?? 5000, `Adding ${jobs.length} ${name} jobs to Redis`);
    }
  }
}

// Only queues this build knows: a row written by a newer release waits for a relay that knows it.
const SELECT_PENDING = `
  SELECT id, queue, job_name, payload, greatest(0, ceil(extract(epoch FROM (run_at - now())) * 1000))::bigint AS delay_ms
    FROM outbox
   WHERE dispatched_at IS NULL AND processed_at IS NULL AND failed_at IS NULL
     AND queue = ANY($1) AND run_at <= now() + make_interval(secs => $3)
   ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`;

// Rows that are being processed are locked by their processor and skipped.
const SELECT_UNPROCESSED = `
  SELECT id, queue, job_name, payload, 0::bigint AS delay_ms
    FROM outbox
   WHERE dispatched_at < now() - make_interval(secs => $3) AND run_at < now() - make_interval(secs => $3)
     AND processed_at IS NULL AND failed_at IS NULL AND queue = ANY($1)
   ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`;

/** Rejects when `promise` takes longer than `ms`; a late outcome is ignored (a late add is harmless). */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function jobOptions(queue: QueueName): JobsOptions {
  const { attempts, firstRetryDelayMs } = QUEUES[queue];
  return {
    attempts,
    backoff: { type: 'exponential', delay: firstRetryDelayMs },
    // Outcomes are kept in PostgreSQL (receipts, settled outbox rows); Redis keeps finished jobs
    // only for looking into: a day when completed, a month when failed.
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
