import { Worker } from 'bullmq';
import { OutboxRelay, outboxJobId } from '@quire/queue';
import { PrivateRedis, startPrivateRedis, waitFor } from '@quire/testing';
import { emailMessage, enqueueEmail, executions, JobsFixture, jobsFixture, outboxRows, relayOptions, startCountingWorker } from './support';

/**
 * Fault test: Redis dies (SIGKILL) while jobs wait and run in it, more work is enqueued while it
 * is down, and it comes back empty (no persistence). Every outbox row must still be processed,
 * exactly once.
 */
describe('a Redis restart that loses every job', () => {
  let redis: PrivateRedis;
  let fixture: JobsFixture;
  let relay: OutboxRelay;
  let worker: Worker;
  let relayFailures = 0;
  // Jobs of the second batch stop inside their transaction until the gate opens: they are
  // running when Redis dies, while the rest of that batch waits in Redis and is lost.
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));

  beforeAll(async () => {
    redis = await startPrivateRedis();
    fixture = await jobsFixture('restart');
  });
  afterAll(async () => {
    openGate();
    await relay?.stop();
    await worker?.close();
    await fixture?.close(redis.url);
    await redis?.stop();
  });

  const enqueueBatch = async (from: number, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let n = from; n < from + count; n++) ids.push(await enqueueEmail(fixture.dataSource, n));
    return ids;
  };
  const rowsOf = async (ids: string[]) => (await outboxRows(fixture.dataSource)).filter((row) => ids.includes(row.id));

  it('processes every outbox row exactly once', async () => {
    const secondBatch = { from: 100, count: 10 };
    const held = new Set(Array.from({ length: secondBatch.count }, (_, i) => emailMessage(secondBatch.from + i).to));
    let heldRunning = 0;

    relay = new OutboxRelay(relayOptions(fixture, redis.url, { reassertAfterSeconds: 1, onError: () => (relayFailures += 1) }));
    relay.start();
    worker = startCountingWorker(fixture, redis.url, {
      send: async (message, { em, jobId }) => {
        if (held.has(message.to)) {
          heldRunning += 1;
          await gate;
        }
        await em.query(`INSERT INTO job_executions (job_id) VALUES ($1)`, [jobId]);
      },
    });

    const before = await enqueueBatch(0, 10);
    await waitFor(async () => (await rowsOf(before)).every((row) => row.processed), 'the first batch to be processed');

    const during = await enqueueBatch(secondBatch.from, secondBatch.count);
    await waitFor(async () => heldRunning === 4 && (await rowsOf(during)).every((row) => row.dispatched), 'the second batch in Redis, four of its jobs running');

    await redis.kill();
    const failuresBefore = relayFailures;
    const whileDown = await enqueueBatch(200, 10);
    await waitFor(() => relayFailures > failuresBefore, 'the relay to fail a pass against the dead Redis');
    expect((await rowsOf(whileDown)).some((row) => row.dispatched)).toBe(false);

    // The running jobs finish and commit while Redis is down; BullMQ cannot record it.
    openGate();
    await waitFor(async () => (await executions(fixture.dataSource)).size === 14, 'the running jobs to commit');

    await redis.restart();
    const all = [...before, ...during, ...whileDown];
    await waitFor(async () => (await rowsOf(all)).every((row) => row.processed), 'every outbox row to be processed', { timeoutMs: 45_000 });

    // The six jobs that waited in Redis were lost with it and came back by being re-asserted.
    expect((await rowsOf(during)).filter((row) => row.relay_count > 1)).toHaveLength(6);
    const counts = await executions(fixture.dataSource);
    expect([...counts.keys()].sort()).toEqual(all.map((id) => outboxJobId(id)).sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });
});

describe('a relay started while Redis is down', () => {
  let redis: PrivateRedis;
  let fixture: JobsFixture;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    fixture = await jobsFixture('redisdown');
    await redis.kill();
  });
  afterAll(async () => {
    await redis?.restart();
    await fixture?.close(redis.url);
    await redis?.stop();
  });

  it('keeps rows in PostgreSQL, stops without waiting for Redis, and the rows are relayed once Redis is back', async () => {
    let failures = 0;
    const relay = new OutboxRelay(relayOptions(fixture, redis.url, { onError: () => (failures += 1) }));
    relay.start();
    const id = await enqueueEmail(fixture.dataSource, 1);
    await waitFor(() => failures >= 2, 'two failed relay passes');
    expect(await outboxRows(fixture.dataSource)).toMatchObject([{ id, dispatched: false }]);
    await relay.stop();

    await redis.restart();
    const next = new OutboxRelay(relayOptions(fixture, redis.url));
    try {
      expect(await next.relayPending()).toBe(1);
    } finally {
      await next.stop();
    }
  });
});
