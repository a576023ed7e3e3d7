import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { EntityManager } from 'typeorm';
import { enqueue, idempotentProcessor, OutboxRelay, outboxJobId, QUEUES } from '@quire/queue';
import { TEST_REDIS_URL, waitFor } from '@quire/testing';
import { emailMessage, emailQueue, enqueueEmail, executions, JobsFixture, jobsFixture, outboxRows, relayOptions, startCountingWorker } from './support';

/** A relay that dies after adding a batch's jobs and before marking its rows, `crashes` times. */
class CrashingRelay extends OutboxRelay {
  crashes = 1;

  protected override async markDispatched(em: EntityManager, ids: string[]): Promise<void> {
    if (this.crashes > 0) {
      this.crashes -= 1;
      throw new Error('relay crashed after adding the jobs');
    }
    await super.markDispatched(em, ids);
  }
}

describe('outbox relay', () => {
  let fixture: JobsFixture;
  let queue: Queue;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    fixture = await jobsFixture('relay');
    queue = emailQueue(fixture, TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await queue.obliterate({ force: true });
    await fixture.dataSource.query(`TRUNCATE outbox, processed_jobs, job_executions`);
  });
  afterAll(async () => {
    await queue.close();
    await fixture.close(TEST_REDIS_URL);
  });

  function relay(extra: Parameters<typeof relayOptions>[2] = {}): OutboxRelay {
    const created = new OutboxRelay(relayOptions(fixture, TEST_REDIS_URL, extra));
    closers.push(() => created.stop());
    return created;
  }

  function worker(handlers: Parameters<typeof startCountingWorker>[2] = {}): Worker {
    const started = startCountingWorker(fixture, TEST_REDIS_URL, handlers);
    closers.push(() => started.close());
    return started;
  }

  const jobCount = async (): Promise<number> => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  const processed = (id: string) => async () => (await outboxRows(fixture.dataSource)).find((row) => row.id === id)?.processed || undefined;

  it('turns an enqueued row into exactly one job, with the payload and the retry policy of its queue', async () => {
    const id = await enqueueEmail(fixture.dataSource, 1);
    const r = relay({ reassertAfterSeconds: 0 });
    expect(await r.relayPending()).toBe(1);
    expect(await r.relayPending()).toBe(0);

    const job = await queue.getJob(outboxJobId(id));
    expect(job?.name).toBe('send');
    expect(job?.data).toEqual(emailMessage(1));
    expect(job?.opts.attempts).toBe(QUEUES.email.attempts);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: QUEUES.email.firstRetryDelayMs });

    // Re-asserting a row whose job still waits in Redis adds nothing.
    expect(await r.reassertUnprocessed()).toBe(1);
    expect(await jobCount()).toBe(1);
    expect(await outboxRows(fixture.dataSource)).toMatchObject([{ id, dispatched: true, processed: false, relay_count: 2 }]);
  });

  it('still makes one job and one execution when the relay crashes between adding the job and marking the row', async () => {
    const id = await enqueueEmail(fixture.dataSource, 2);
    const crashing = new CrashingRelay(relayOptions(fixture, TEST_REDIS_URL));
    closers.push(() => crashing.stop());

    await expect(crashing.relayPending()).rejects.toThrow('relay crashed');
    expect(await jobCount()).toBe(1);
    expect(await outboxRows(fixture.dataSource)).toMatchObject([{ id, dispatched: false, relay_count: 0 }]);

    expect(await crashing.relayPending()).toBe(1);
    expect(await jobCount()).toBe(1);

    worker();
    await waitFor(processed(id), `outbox row ${id} processed`);
    expect(await executions(fixture.dataSource)).toEqual(new Map([[outboxJobId(id), 1]]));
  });

  it('does not relay again a row whose job ran while the relay was down, even after Redis dropped the finished job', async () => {
    const id = await enqueueEmail(fixture.dataSource, 3);
    const crashing = new CrashingRelay(relayOptions(fixture, TEST_REDIS_URL));
    closers.push(() => crashing.stop());
    await expect(crashing.relayPending()).rejects.toThrow('relay crashed');

    worker();
    await waitFor(processed(id), `outbox row ${id} processed`);
    await (await queue.getJob(outboxJobId(id)))?.remove();

    expect(await crashing.relayPending()).toBe(0);
    expect(await jobCount()).toBe(0);
    expect(await executions(fixture.dataSource)).toEqual(new Map([[outboxJobId(id), 1]]));
  });

  it('never relays a row twice when two relays run at once (SKIP LOCKED)', async () => {
    const count = 40;
    for (let n = 0; n < count; n++) await enqueueEmail(fixture.dataSource, n);
    const [first, second] = [relay({ batchSize: 3 }), relay({ batchSize: 3 })];

    const relayed = await Promise.all([first.relayPending(), second.relayPending(), first.relayPending(), second.relayPending()]);

    expect(relayed.reduce((a, b) => a + b, 0)).toBe(count);
    const rows = await outboxRows(fixture.dataSource);
    expect(rows).toHaveLength(count);
    expect(rows.every((row) => row.dispatched && row.relay_count === 1)).toBe(true);
    expect(await jobCount()).toBe(count);
  });

  it('makes no job for a transaction that rolled back', async () => {
    await expect(
      fixture.dataSource.transaction(async (em) => {
        await enqueue(em, 'email', 'send', emailMessage(4));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    expect(await relay().relayPending()).toBe(0);
    expect(await outboxRows(fixture.dataSource)).toEqual([]);
    expect(await jobCount()).toBe(0);
  });

  it('relays a row due soon as a delayed job and keeps a row due much later in PostgreSQL', async () => {
    const soon = await enqueueEmail(fixture.dataSource, 5, { runAt: new Date(Date.now() + 60_000) });
    const later = await enqueueEmail(fixture.dataSource, 6, { runAt: new Date(Date.now() + 2 * 24 * 3600_000) });

    expect(await relay({ dispatchAheadSeconds: 3600 }).relayPending()).toBe(1);

    const job = await queue.getJob(outboxJobId(soon));
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.opts.delay).toBeGreaterThan(30_000);
    expect(job?.opts.delay).toBeLessThanOrEqual(60_000);
    expect(await queue.getJob(outboxJobId(later))).toBeUndefined();
    expect(await outboxRows(fixture.dataSource)).toMatchObject([{ id: soon, dispatched: true }, { id: later, dispatched: false }]);
  });

  it('re-asserts a job that Redis lost, and never one that was processed', async () => {
    const lost = await enqueueEmail(fixture.dataSource, 7);
    const done = await enqueueEmail(fixture.dataSource, 8);
    const r = relay({ reassertAfterSeconds: 0 });
    await r.relayPending();
    await (await queue.getJob(outboxJobId(lost)))?.remove();

    expect(await r.reassertUnprocessed()).toBe(2);
    expect(await queue.getJob(outboxJobId(lost))).toBeDefined();

    worker();
    await waitFor(processed(lost), `outbox row ${lost} processed`);
    await waitFor(processed(done), `outbox row ${done} processed`);
    expect(await r.reassertUnprocessed()).toBe(0);
    expect(await executions(fixture.dataSource)).toEqual(new Map([[outboxJobId(lost), 1], [outboxJobId(done), 1]]));
  });

  it('marks the row of a job that failed for good, keeps its error, and stops re-asserting it', async () => {
    const id = await enqueueEmail(fixture.dataSource, 9);
    const r = relay({ reassertAfterSeconds: 0 });
    await r.relayPending();
    worker({
      send: async () => {
        throw new UnrecoverableError('the address does not exist');
      },
    });

    const row = await waitFor(async () => (await outboxRows(fixture.dataSource)).find((o) => o.id === id && o.failed), `outbox row ${id} failed`);
    expect(row).toMatchObject({ processed: false, last_error: 'the address does not exist' });
    expect(await (await queue.getJob(outboxJobId(id)))?.isFailed()).toBe(true);
    expect(await r.reassertUnprocessed()).toBe(0);
    expect(await executions(fixture.dataSource)).toEqual(new Map());
  });

  it('runs a job once when the same job is delivered to two workers at the same moment', async () => {
    const id = await enqueueEmail(fixture.dataSource, 10);
    await relay().relayPending();
    const job = await queue.getJob(outboxJobId(id));
    if (!job) throw new Error('the job was not relayed');

    // Two deliveries of one job race in the processor itself; the receipt lets one through.
    // The sleep keeps the first transaction open while the second arrives.
    const run = idempotentProcessor(fixture.dataSource, 'email', {
      send: async (_message, { em, jobId }) => {
        await em.query(`INSERT INTO job_executions (job_id) VALUES ($1)`, [jobId]);
        await em.query(`SELECT pg_sleep(0.2)`);
      },
    });
    await Promise.all([run(job), run(job)]);
    expect(await executions(fixture.dataSource)).toEqual(new Map([[outboxJobId(id), 1]]));
  });
});
