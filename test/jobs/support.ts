import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@quire/db';
import { EmailMessage, enqueue, idempotentProcessor, JobHandlers, RelayOptions, workerConnection } from '@quire/queue';
import { cleanRedis, createTestDatabase, TestDatabase, testRedisPrefix } from '@quire/testing';

/** A database and Redis prefix of one test file's own, and a table that counts committed job executions. */
export interface JobsFixture {
  database: TestDatabase;
  dataSource: DataSource;
  prefix: string;
  close(redisUrl: string): Promise<void>;
}

export async function jobsFixture(label: string): Promise<JobsFixture> {
  const database = await createTestDatabase(label);
  const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  await dataSource.query(`CREATE TABLE job_executions (job_id text NOT NULL, executed_at timestamptz NOT NULL DEFAULT now())`);
  const prefix = testRedisPrefix(label);
  return {
    database,
    dataSource,
    prefix,
    async close(redisUrl) {
      await dataSource.destroy();
      await database.drop();
      await cleanRedis(prefix, redisUrl);
    },
  };
}

/** Relay options for tests: short pauses so a bounded poll sees the relay's work soon. */
export function relayOptions(fixture: JobsFixture, redisUrl: string, extra: Partial<RelayOptions> = {}): RelayOptions {
  return { dataSource: fixture.dataSource, databaseUrl: fixture.database.url, redisUrl, prefix: fixture.prefix, pollMs: 50, maxBackoffMs: 500, redisTimeoutMs: 1000, ...extra };
}

export function emailMessage(n: number): EmailMessage {
  return { template: 'password-reset', to: `person${n}@example.org`, locale: 'en', displayName: `Person ${n}`, resetUrl: `https://quire.test/reset/${n}`, expiresAt: '2030-01-01T00:00:00Z' };
}

/** Enqueues one e-mail job in a transaction of its own and returns its outbox id. */
export function enqueueEmail(dataSource: DataSource, n: number, options: { runAt?: Date } = {}): Promise<string> {
  return dataSource.transaction((em) => enqueue(em, 'email', 'send', emailMessage(n), options));
}

/**
 * A real BullMQ worker on the e-mail queue, running jobs through the production wrapper
 * (`idempotentProcessor`) with a handler that records each execution in the job's transaction.
 */
export function startCountingWorker(fixture: JobsFixture, redisUrl: string, handlers: Partial<JobHandlers<'email'>> = {}): Worker {
  const processor = idempotentProcessor(fixture.dataSource, 'email', {
    send: async (_message, { em, jobId }) => {
      await em.query(`INSERT INTO job_executions (job_id) VALUES ($1)`, [jobId]);
    },
    ...handlers,
  });
  const worker = new Worker('email', processor, { connection: workerConnection(redisUrl), prefix: fixture.prefix, concurrency: 4 });
  worker.on('error', () => undefined); // connection trouble is part of some tests; outcomes are checked in PostgreSQL
  return worker;
}

export function emailQueue(fixture: JobsFixture, redisUrl: string): Queue {
  return new Queue('email', { connection: workerConnection(redisUrl), prefix: fixture.prefix });
}

/** Committed executions per job id. */
export async function executions(dataSource: DataSource): Promise<Map<string, number>> {
  const rows: { job_id: string; count: string }[] = await dataSource.query(`SELECT job_id, count(*) FROM job_executions GROUP BY job_id`);
  return new Map(rows.map((r) => [r.job_id, Number(r.count)]));
}

export interface OutboxState {
  id: string;
  dispatched: boolean;
  processed: boolean;
  failed: boolean;
  relay_count: number;
  last_error: string | null;
}

export async function outboxRows(dataSource: DataSource): Promise<OutboxState[]> {
  return dataSource.query(
    `SELECT id, dispatched_at IS NOT NULL AS dispatched, processed_at IS NOT NULL AS processed, failed_at IS NOT NULL AS failed, relay_count, last_error FROM outbox ORDER BY id`,
  );
}
