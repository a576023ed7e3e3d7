import { Job } from 'bullmq';
import { idempotentProcessor, JobHandlers } from '@quire/queue';
import { TalliesService } from '@quire/domain/voting';
import { startTestApp, TestApp } from '@quire/testing';
import { cast, countedFromVotes, liveTallies, unfoldedEvents, VOTING_OPS as OPS, votingBook } from './fixtures';

/**
 * The tally processor's handlers run here by hand, through the production wrapper, on a test app
 * without a worker: so jobs can be delivered twice, out of order, and fail half way.
 */
describe('tally jobs', () => {
  let t: TestApp;
  let tallies: TalliesService;
  beforeAll(async () => {
    t = await startTestApp({ label: 'tallies' });
    tallies = t.app.get(TalliesService);
  });
  afterAll(async () => { await t?.close(); });

  const handlers = (failAfterFold = false): JobHandlers<'tallies'> => ({
    fold: async ({ roundId }, { em }) => {
      await tallies.fold(em, roundId);
      if (failAfterFold) throw new Error('The worker died before committing');
    },
    recount: async ({ roundId, recountId }, { em }) => {
      await tallies.runRecount(em, roundId, recountId);
    },
    publish: async () => undefined,
  });
  const job = (outboxId: string, roundId: string, attemptsMade = 0): Job => ({ id: `outbox-${outboxId}`, name: 'fold', data: { roundId }, attemptsMade, opts: { attempts: 10 } }) as unknown as Job;
  const foldJobs = async (roundId: string): Promise<string[]> =>
    ((await t.dataSource.query(`SELECT id FROM outbox WHERE queue = 'tallies' AND job_name = 'fold' AND payload->>'roundId' = $1 ORDER BY id`, [roundId])) as { id: string }[]).map((r) => r.id);

  /** As a fold job does when it starts: frees its key, so the next change adds a job of its own. */
  const startWaitingFoldJobs = (roundId: string) =>
    t.dataSource.query(`UPDATE outbox SET coalesce_key = NULL WHERE job_name = 'fold' AND payload->>'roundId' = $1`, [roundId]);

  it('gives the same tally for duplicated, reordered and retried jobs', async () => {
    const book = await votingBook(t, ['Anna Tel', 'Bert Tel', 'Cato Tel'], { votesPerMember: 3 });
    const [a, b, c] = book.candidates;
    const [m0, m1, m2] = book.members;
    const changes = [
      () => cast(m0.client, book.roundId, a),
      () => cast(m0.client, book.roundId, b),
      () => cast(m1.client, book.roundId, a),
      () => m0.client.data(OPS.moveVote, { roundId: book.roundId, from: b, to: c }),
      () => cast(m2.client, book.roundId, c),
      () => m2.client.data(OPS.withdrawVote, { roundId: book.roundId, candidateId: c }),
    ];
    for (const change of changes) {
      await change();
      await startWaitingFoldJobs(book.roundId);
    }
    const expected = await countedFromVotes(t, book.roundId);
    expect(expected).toEqual({ [a]: 2, [c]: 1 });
    const ids = await foldJobs(book.roundId);
    expect(ids).toHaveLength(6); // every change emitted one, as each found no job waiting

    // A job that fails after folding rolls back: its events stay unfolded for the retry.
    const process = idempotentProcessor(t.dataSource, 'tallies', handlers(true));
    await expect(process(job(ids[3], book.roundId))).rejects.toThrow('died');
    expect(await unfoldedEvents(t, book.roundId)).toBe(7);
    expect(await liveTallies(t, book.roundId)).toEqual({});

    // The jobs in reverse order, each twice, and the failed one retried.
    const run = idempotentProcessor(t.dataSource, 'tallies', handlers());
    for (const id of [...ids].reverse()) {
      await run(job(id, book.roundId));
      await run(job(id, book.roundId));
    }
    await run(job(ids[3], book.roundId, 1));
    expect(await unfoldedEvents(t, book.roundId)).toBe(0);
    expect(await liveTallies(t, book.roundId)).toEqual(expected);

    // Copies that did not come from the outbox (no receipt to stop them) find nothing left to fold.
    for (let i = 0; i < 3; i++) await run({ id: `copy-${i}`, name: 'fold', data: { roundId: book.roundId }, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job);
    expect(await liveTallies(t, book.roundId)).toEqual(expected);
  });

  it('folds each event once when jobs run at the same time', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `Kandidaat Gelijktijdig ${i}`);
    const book = await votingBook(t, names, { votesPerMember: 8 });
    await Promise.all(book.members.flatMap((m) => book.candidates.map((c) => cast(m.client, book.roundId, c))));
    const run = idempotentProcessor(t.dataSource, 'tallies', handlers());
    const ids = await foldJobs(book.roundId);
    await Promise.all([...ids, ...ids].map((id, i) => run({ id: `race-${i}-${id}`, name: 'fold', data: { roundId: book.roundId }, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job)));
    expect(await unfoldedEvents(t, book.roundId)).toBe(0);
    expect(await liveTallies(t, book.roundId)).toEqual(await countedFromVotes(t, book.roundId));
  });

  it('lets changes share a fold job that waits, and the job folds a change still committing when it starts', async () => {
    const book = await votingBook(t, ['Fleur Samen', 'Gijs Samen'], { votesPerMember: 2 });
    const [a, b] = book.candidates;
    await cast(book.members[0].client, book.roundId, a);
    await cast(book.members[1].client, book.roundId, a);
    await cast(book.members[0].client, book.roundId, b);
    const [waiting, ...others] = await foldJobs(book.roundId);
    expect(others).toEqual([]); // the later changes found the first one's job waiting

    // A vote change in flight (it holds the round's voting lock) found the job waiting and added
    // none; the job starts before that change commits.
    const inFlight = t.dataSource.createQueryRunner();
    await inFlight.connect();
    await inFlight.startTransaction();
    await inFlight.query(`SELECT pg_advisory_xact_lock_shared(hashtext('quire-round-votes'), hashtext($1::uuid::text))`, [book.roundId]);
    await inFlight.query(`INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta) VALUES ($1, $2, $3, 'CAST', 1)`, [book.roundId, book.members[2].userId, b]);
    const run = idempotentProcessor(t.dataSource, 'tallies', handlers());
    const folding = run(job(waiting, book.roundId));
    // The job waits for the change rather than folding without it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await liveTallies(t, book.roundId)).toEqual({});
    await inFlight.commitTransaction();
    await inFlight.release();
    await folding;
    expect(await unfoldedEvents(t, book.roundId)).toBe(0);
    expect(await liveTallies(t, book.roundId)).toEqual({ [a]: 2, [b]: 2 });
    // Started, the job freed its key: the next change gets a job of its own.
    await cast(book.members[1].client, book.roundId, b);
    expect(await foldJobs(book.roundId)).toHaveLength(2);
  });

  it('folds an event that commits after events with higher ids, once', async () => {
    const book = await votingBook(t, ['Hanna Volgorde', 'Ivo Volgorde'], { votesPerMember: 2 });
    const [a, b] = book.candidates;
    // A change takes its event's id, then a vote takes a higher one and commits first.
    const slow = t.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await slow.query(`SELECT pg_advisory_xact_lock_shared(hashtext('quire-round-votes'), hashtext($1::uuid::text))`, [book.roundId]);
    const [{ id: slowId }]: { id: string }[] = await slow.query(
      `INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta) VALUES ($1, $2, $3, 'CAST', 1) RETURNING id`,
      [book.roundId, book.members[0].userId, a],
    );
    await cast(book.members[1].client, book.roundId, b);
    const [{ id: fastId }]: { id: string }[] = await t.dataSource.query(`SELECT max(id) AS id FROM vote_events WHERE round_id = $1`, [book.roundId]);
    expect(BigInt(fastId)).toBeGreaterThan(BigInt(slowId));

    const run = idempotentProcessor(t.dataSource, 'tallies', handlers());
    const ids = await foldJobs(book.roundId);
    const folding = run(job(ids[0], book.roundId));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await liveTallies(t, book.roundId)).toEqual({}); // the fold waits for the slow change
    await slow.commitTransaction();
    await slow.release();
    await folding;
    expect(await liveTallies(t, book.roundId)).toEqual({ [a]: 1, [b]: 1 });
    expect(await unfoldedEvents(t, book.roundId)).toBe(0);

    // Every copy of the job, and a job for the round that comes later, finds nothing more to fold.
    for (const [i, id] of [...ids, ...ids].entries()) await run(job(id, book.roundId, i));
    await run({ id: 'late-copy', name: 'fold', data: { roundId: book.roundId }, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job);
    expect(await liveTallies(t, book.roundId)).toEqual({ [a]: 1, [b]: 1 });
  });

  it('reports a recount that disagrees with the live tally, and one that agrees', async () => {
    const book = await votingBook(t, ['Dirk Tel', 'Eva Tel']);
    const [a, b] = book.candidates;
    await cast(book.members[0].client, book.roundId, a);
    await cast(book.members[1].client, book.roundId, b);
    const run = idempotentProcessor(t.dataSource, 'tallies', handlers());
    for (const id of await foldJobs(book.roundId)) await run(job(id, book.roundId));

    const recount = async (): Promise<{ agreed: boolean; differences: { candidateId: string; live: number; recount: number }[]; pendingEvents: number; totalVotes: number }> => {
      const { requestRecount } = await book.editor.data<{ requestRecount: { id: string; status: string; createdAt: string; finishedAt: string | null } }>(OPS.requestRecount, { roundId: book.roundId });
      expect(requestRecount).toMatchObject({ status: 'PENDING', createdAt: expect.any(String), finishedAt: null });
      const [row] = (await t.dataSource.query(`SELECT id FROM outbox WHERE job_name = 'recount' AND payload->>'recountId' = $1`, [requestRecount.id])) as { id: string }[];
      await run({ id: `outbox-${row.id}`, name: 'recount', data: { roundId: book.roundId, recountId: requestRecount.id }, attemptsMade: 0, opts: { attempts: 10 } } as unknown as Job);
      return (await book.editor.data<{ recount: { agreed: boolean; differences: { candidateId: string; live: number; recount: number }[]; pendingEvents: number; totalVotes: number } }>(OPS.recount, { id: requestRecount.id })).recount;
    };
    expect(await recount()).toMatchObject({ agreed: true, differences: [], pendingEvents: 0, totalVotes: 2 });

    // Something went wrong with the live tally: the recount says so, per candidate.
    await t.dataSource.query(`UPDATE tallies SET votes = votes + 5 WHERE round_id = $1 AND candidate_id = $2`, [book.roundId, a]);
    expect(await recount()).toMatchObject({ agreed: false, finishedAt: expect.any(String), differences: [{ candidateId: a, live: 6, recount: 1, candidate: { name: expect.any(String) } }] });
    const audit: { action: string }[] = await t.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = $1 AND action = 'round.recount_disagreed'`, [book.roundId]);
    expect(audit).toHaveLength(1);

    // Closing the round counts the votes and keeps the disagreement on record, visible to all.
    await book.editor.data('mutation($id: ID!, $to: RoundPhase!) { advanceRound(id: $id, to: $to) { id } }', { id: book.roundId, to: 'CLOSED' });
    const { roundResults } = await book.members[2].client.data<{ roundResults: { totalVotes: number; liveTallyAgreed: boolean; differences: { candidateId: string }[]; entries: { votes: number; candidate: { id: string } }[] } }>(OPS.roundResults, { roundId: book.roundId });
    expect(roundResults).toMatchObject({ totalVotes: 2, liveTallyAgreed: false, differences: [{ candidateId: a }] });
    expect(roundResults.entries.map((e) => [e.candidate.id, e.votes]).sort()).toEqual([[a, 1], [b, 1]].sort());
  });
});
