import { EntityManager } from 'typeorm';
import { coalesces, JobName, JobPayload, QueueName } from './jobs';

export const OUTBOX_CHANNEL = 'quire_outbox';

/**
 * Writes a job into the outbox inside the caller's transaction: it exists exactly when the change
 * that caused it committed. The relay moves it to BullMQ.
 */
export async function enqueue<Q extends QueueName, N extends JobName<Q>>(
  em: EntityManager,
  queue: Q,
  name: N,
  payload: JobPayload<Q, N>,
  options: { runAt?: Date; wakeRelay?: boolean } = {},
): Promise<string> {
  const [row] = await insertJob(em, queue, name, payload, null, options);
  return row.id;
}

/**
 * Like `enqueue`, for a job of COALESCING_JOBS, under `key` (a round, say): while a job with the
 * same key has not started, its row stands for this one too and nothing is added. Its processor
 * frees the key when the job starts, before it looks at the work (`idempotentProcessor` does), so
 * what is written from then on gets a job of its own. One more duty falls on the processor: a
 * writer that found the key taken may commit after the job started, so the job must see such
 * writers' commits (the fold waits for the round's vote transactions in flight). `runAt` a moment
 * ahead gathers the writes of that moment into one job. Answers whether a job was added.
 */
export async function enqueueCoalesced<Q extends QueueName, N extends JobName<Q>>(
  em: EntityManager,
  queue: Q,
  name: N,
  payload: JobPayload<Q, N>,
  key: string,
  options: { runAt?: Date; wakeRelay?: boolean } = {},
): Promise<boolean> {
  if (!coalesces(queue, name)) throw new Error(`${queue}.${name} is not a coalescing job (COALESCING_JOBS)`);
  return (await insertJob(em, queue, name, payload, key, options)).length > 0;
}

async function insertJob(em: EntityManager, queue: QueueName, name: string, payload: unknown, key: string | null, options: { runAt?: Date; wakeRelay?: boolean }): Promise<{ id: string }[]> {
  // outbox_enqueue (a database function, so that functions such as cast_votes enqueue the same way).
  const rows: { id: string }[] = await em.query(
    `SELECT id FROM outbox_enqueue($1, $2, $3, COALESCE($4, now()), $5) AS id WHERE id IS NOT NULL`,
    [queue, name, JSON.stringify(payload), options.runAt ?? null, key],
  );
  // Delivered on commit only, so the relay wakes for committed rows. `wakeRelay: false` is for
  // producers of many jobs a second, which wake it after commit with a RelayWaker instead.
  if (rows.length && (options.wakeRelay ?? true)) await em.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return rows;
}

/**
 * Wakes the outbox relay after commit, outside any transaction, with at most one notification in
 * flight and then a pause of `intervalMs` (pokes meanwhile are folded into the next one). For
 * producers of many small jobs, such as votes: PostgreSQL serialises the commits of transactions
 * that NOTIFY, each waiting for the previous one's disk flush, which would cap them at a few
 * hundred commits a second; and each wake-up is a relay pass, which is better spent on a batch.
 */
export class RelayWaker {
  private sending = false;
  private again = false;

  constructor(
    private readonly notify: (sql: string, parameters: unknown[]) => Promise<unknown>,
    private readonly intervalMs = 10,
  ) {}

  poke(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    this.again = false;
    this.notify(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL])
      // The relay also polls: a lost wake-up only delays the job by its pause.
      .catch(() => undefined)
      .then(() => new Promise((resolve) => setTimeout(resolve, this.intervalMs).unref()))
      .finally(() => {
        this.sending = false;
        if (this.again) this.poke();
      });
  }
}
