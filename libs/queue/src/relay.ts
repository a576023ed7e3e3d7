import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL } from './outbox';
import { outboxJobId, QUEUE_NAMES, QueueName } from './jobs';

interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: string;
  payload: unknown;
  delay_ms: number;
}

export interface RelayOptions {
  dataSource: DataSource;
  /** A pg connection string for the LISTEN connection that wakes the relay on commit. */
  databaseUrl: string;
  redis: Redis;
  prefix: string;
  batchSize?: number;
  pollMs?: number;
  /** How long a relayed job may stay unprocessed before it is added again (Redis may have lost it). */
  reassertAfterSeconds?: number;
  onError?: (error: unknown) => void;
}

/**
 * Moves committed outbox rows into BullMQ. Each row becomes the job `outbox-<id>`; BullMQ ignores
 * a second add with that id, so a relay that crashes after adding and before marking the row
 * simply adds it again harmlessly. Rows whose job has not been processed after a while are added
 * again too: if Redis restarted without persistence and lost the job, this recreates it, and if
 * not, the add is a no-op. Processors record receipts (`runOnce`), so each row's work runs once.
 */
export class OutboxRelay {
  private readonly queues = new Map<QueueName, Queue>();
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pass: Promise<void> = Promise.resolve();
  private wakeRequested = false;

  constructor(private readonly options: RelayOptions) {
    for (const name of QUEUE_NAMES) {
      this.queues.set(name, new Queue(name, { connection: options.redis, prefix: options.prefix }));
    }
  }

  async start(): Promise<void> {
    this.running = true;
    this.listener = new Client({ connectionString: this.options.databaseUrl });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (error) => this.options.onError?.(error));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.schedule();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    await this.listener?.end().catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Relays everything pending now; returns how many rows were relayed. Used by tests and `wake`. */
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.relayBatch(false);
      total += count;
      if (count < (this.options.batchSize ?? 100)) break;
    }
    return total;
  }

  /** Adds again the jobs of rows relayed long ago but still not processed. */
  async reassertUnprocessed(): Promise<number> {
    return this.relayBatch(true);
  }

  private wake(): void {
    if (!this.running) return;
    if (this.wakeRequested) return;
    this.wakeRequested = true;
    this.pass = this.pass.then(async () => {
      this.wakeRequested = false;
      try {
        await this.relayPending();
      } catch (error) {
        this.options.onError?.(error);
      }
    });
  }

  private schedule(): void {
    const tick = async (): Promise<void> => {
      this.wake();
      this.pass = this.pass.then(() => this.reassertUnprocessed().then(() => undefined, (e) => this.options.onError?.(e)));
      if (this.running) this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
  }

  private async relayBatch(reassert: boolean): Promise<number> {
    const limit = this.options.batchSize ?? 100;
    const reassertAfter = this.options.reassertAfterSeconds ?? 30;
    return this.options.dataSource.transaction(async (em) => {
      const rows: OutboxRow[] = reassert
        ? await em.query(
            `SELECT o.id, o.queue, o.job_name, o.payload, 0 AS delay_ms FROM outbox o
              WHERE o.dispatched_at IS NOT NULL
                AND o.dispatched_at > now() - interval '7 days'
                AND greatest(o.dispatched_at, o.run_at) < now() - make_interval(secs => $2)
                AND NOT EXISTS (SELECT 1 FROM processed_jobs p WHERE p.queue = o.queue AND p.job_id = 'outbox-' || o.id)
              ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit, reassertAfter],
          )
        : await em.query(
            `SELECT id, queue, job_name, payload,
                    greatest(0, floor(extract(epoch FROM (run_at - now())) * 1000))::int AS delay_ms
               FROM outbox WHERE dispatched_at IS NULL
              ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [limit],
          );
      if (rows.length === 0) return 0;
      for (const row of rows) {
        const queue = this.queues.get(row.queue);
        if (!queue) throw new Error(`Outbox row ${row.id} names unknown queue ${row.queue}`);
        await queue.add(row.job_name, row.payload, {
          jobId: outboxJobId(row.id),
          delay: row.delay_ms,
          attempts: 8,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        });
      }
      await em.query(
        `UPDATE outbox SET dispatched_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
  }
}
