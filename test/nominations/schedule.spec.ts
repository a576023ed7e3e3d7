import { cleanRedis, startTestApp, TestApp, waitFor } from '@quire/testing';
import { NOMINATION_OPS as OPS, openBook, untilListening, watchRound } from './fixtures';

/** Phase changes at scheduled times, by delayed jobs in the worker, re-planned from the database at start. */
describe('round schedule', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function phaseChanges(app: TestApp, roundId: string): Promise<{ to: string; how: string }[]> {
    return app.dataSource.query(
      `SELECT data->>'to' AS to, data->>'how' AS how FROM audit_events WHERE entity_id = $1 AND action = 'round.phase_changed' ORDER BY seq`,
      [roundId],
    );
  }

  it('moves DRAFT → NOMINATING → VOTING → CLOSED at the scheduled times, once each', async () => {
    t = await startTestApp({ label: 'schedule', worker: true });
    const book = await openBook(t);
    const at = (ms: number): string => new Date(Date.now() + ms).toISOString();
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, {
      projectId: book.projectId,
      input: { title: 'Geplande ronde', nominatingOpensAt: at(600), votingOpensAt: at(1200), closesAt: at(1800) },
    });
    const app = t;
    await waitFor(async () => (await app.dataSource.query(`SELECT phase FROM rounds WHERE id = $1`, [createRound.id]))[0].phase === 'CLOSED', 'the round to close');
    expect(await phaseChanges(app, createRound.id)).toEqual([
      { to: 'NOMINATING', how: 'schedule' },
      { to: 'VOTING', how: 'schedule' },
      { to: 'CLOSED', how: 'schedule' },
    ]);
  });

  it('tells the round\'s watchers when the schedule moves it, from the worker', async () => {
    t = await startTestApp({ label: 'schedule', worker: true });
    const book = await openBook(t);
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: book.projectId, input: { title: 'Gevolgde ronde' } });
    const watcher = watchRound(t, book.members[0].client, createRound.id);
    try {
      await untilListening(book.editor, createRound.id, [watcher]);
      await book.editor.data(OPS.updateRound, { id: createRound.id, input: { nominatingOpensAt: new Date(Date.now() + 300).toISOString() } });
      await waitFor(() => watcher.pushes.some((p) => p.phase === 'NOMINATING') || undefined, 'the push of the scheduled opening');
      expect(watcher.pushes.at(-1)?.myActions).toContain('nominate');
    } finally {
      await watcher.dispose();
    }
  });

  it('follows a changed schedule and ignores the job planned for the old time', async () => {
    t = await startTestApp({ label: 'schedule', worker: true });
    const book = await openBook(t);
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, {
      projectId: book.projectId,
      input: { title: 'Verschoven', nominatingOpensAt: new Date(Date.now() + 3000).toISOString() },
    });
    // The first plan has put the job for the old time in the queue...
    const app0 = t;
    await waitFor(async () => (await app0.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE queue = 'rounds' AND payload->>'roundId' = $1 AND processed_at IS NOT NULL`, [createRound.id]))[0].n >= 1, 'the round to be planned');
    // ...then the round is moved an hour later before it was due: the old job must do nothing.
    await book.editor.data(OPS.updateRound, { id: createRound.id, input: { nominatingOpensAt: new Date(Date.now() + 3600_000).toISOString() } });
    const app = t;
    await waitFor(async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM processed_jobs WHERE queue = 'rounds' AND job_id LIKE $1`, [`round-${createRound.id}-%`]))[0].n >= 1, 'the stale job to run');
    expect(await phaseChanges(app, createRound.id)).toEqual([]);
    // Brought forward to now: it opens.
    await book.editor.data(OPS.updateRound, { id: createRound.id, input: { nominatingOpensAt: new Date(Date.now() + 200).toISOString() } });
    await waitFor(async () => (await phaseChanges(app, createRound.id)).length === 1, 'the round to open');
  });

  it('catches up after the worker was down past two transitions, without skipping or repeating one', async () => {
    t = await startTestApp({ label: 'schedule', worker: true });
    const book = await openBook(t);
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(OPS.createRound, {
      projectId: book.projectId,
      input: { title: 'Herstart', nominatingOpensAt: new Date(Date.now() + 1500).toISOString(), votingOpensAt: new Date(Date.now() + 2000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    const kept = await t.stop();
    t = undefined;
    // Both transitions fall due while nothing runs; the delayed jobs in Redis are lost as well.
    await new Promise((r) => setTimeout(r, 2500));
    await cleanRedis(kept.prefix);
    t = await startTestApp({ label: 'schedule', worker: true, resume: kept });
    const app = t;
    await waitFor(async () => (await phaseChanges(app, createRound.id)).length === 2, 'both transitions after the restart');
    await new Promise((r) => setTimeout(r, 500));
    expect(await phaseChanges(app, createRound.id)).toEqual([
      { to: 'NOMINATING', how: 'schedule' },
      { to: 'VOTING', how: 'schedule' },
    ]);
  });
});
