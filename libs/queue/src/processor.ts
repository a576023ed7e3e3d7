import { Job, UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { coalesces, JobName, JobPayload, outboxIdOf, QueueName } from './jobs';
import { runOnce } from './run-once';

export interface JobContext {
  /** The transaction the receipt commits in: the handler's own writes belong in it. */
  em: EntityManager;
  jobId: string;
}

/** One handler per job name of queue Q, each typed by the shared job map. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (payload: JobPayload<Q, N>, context: JobContext) => Promise<void>;
};

type UntypedHandler = (payload: unknown, context: JobContext) => Promise<void>;

/**
 * The processor function of queue Q for a BullMQ worker. Every job runs through `runOnce`, so a
 * retry, a re-delivery or a re-asserted copy never repeats committed work; in the same
 * transaction a relayed job settles its outbox row, which stops the relay from re-asserting it.
 * A failed run leaves its error on the outbox row, and the last failed run marks the row failed.
 */
export function idempotentProcessor<Q extends QueueName>(dataSource: DataSource, queue: Q, handlers: JobHandlers<Q>): (job: Job) => Promise<void> {
  return async (job) => {
    if (!job.id) throw new UnrecoverableError(`A ${queue} job without an id cannot be run once`);
    const jobId = job.id;
    // Job data comes from Redis: the name picks the handler, and the map typed the payload when it was enqueued.
    const handler = Object.hasOwn(handlers, job.name) ? (handlers as unknown as Record<string, UntypedHandler>)[job.name] : undefined;
    if (!handler) throw new UnrecoverableError(`Queue ${queue} has no job named ${job.name}`);
    const outboxId = outboxIdOf(jobId);
    // A coalescing job frees its key before it looks at the work, committed at once: what is
    // written from now on gets a job of its own (see enqueueCoalesced).
    if (outboxId && coalesces(queue, job.name)) await dataSource.query(`UPDATE outbox SET coalesce_key = NULL WHERE id = $1 AND coalesce_key IS NOT NULL`, [outboxId]);
    try {
      await runOnce(dataSource, queue, jobId, async (em) => {
        if (outboxId) await em.query(`UPDATE outbox SET processed_at = now(), failed_at = NULL WHERE id = $1`, [outboxId]);
        await handler(job.data, { em, jobId });
      });
    } catch (error) {
      if (outboxId) await recordFailure(dataSource, outboxId, error, isLastAttempt(job, error));
      throw error;
    }
  };
}

/** BullMQ retries a failed run unless the error is unrecoverable or this run used the last attempt. */
function isLastAttempt(job: Job, error: unknown): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

async function recordFailure(dataSource: DataSource, outboxId: string, error: unknown, final: boolean): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await dataSource
    .query(`UPDATE outbox SET last_error = $2, failed_at = CASE WHEN $3 THEN now() END WHERE id = $1 AND processed_at IS NULL`, [outboxId, message.slice(0, 2000), final])
    // The job's own error is what BullMQ must see; a lost diagnostic only costs a re-assert,
    // which finds the failed job still in Redis and adds nothing.
    .catch(() => undefined);
}
