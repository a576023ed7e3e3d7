import { EntityManager } from 'typeorm';
import { JobName, JobPayload, QueueName } from './jobs';

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
  options: { runAt?: Date } = {},
): Promise<string> {
  const rows: { id: string }[] = await em.query(
    `INSERT INTO outbox (queue, job_name, payload, run_at) VALUES ($1, $2, $3, COALESCE($4, now())) RETURNING id`,
    [queue, name, JSON.stringify(payload), options.runAt ?? null],
  );
  // Delivered on commit only, so the relay wakes for committed rows.
  await em.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return rows[0].id;
}
