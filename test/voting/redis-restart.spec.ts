import { PrivateRedis, startPrivateRedis, startTestApp, TestApp, waitFor } from '@quire/testing';
import { countedFromVotes, liveTallies, unfoldedEvents, VOTING_OPS as OPS, votingBook } from './fixtures';

/**
 * Fault test: the Redis that carries the tally jobs is killed (SIGKILL, no persistence) in the
 * middle of voting and comes back empty. Voting goes on meanwhile; no accepted vote may be lost,
 * and once Redis is back the live tallies must equal a recount of the votes.
 */
describe('Redis restarted in the middle of voting', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp({ label: 'voteredis', worker: true, redisUrl: redis.url, env: { OUTBOX_REASSERT_SECONDS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('loses no vote, and the tallies agree with the recount afterwards', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Kandidaat Storing ${String(i).padStart(2, '0')}`);
    const book = await votingBook(t, names, { votesPerMember: 12 });
    const voters = [...book.members.map((m) => m.client), book.editor, book.author];
    const accepted = new Map<string, number>();
    let phase: 'before' | 'down' | 'after' = 'before';
    const perPhase = { before: 0, down: 0, after: 0 };
    let stop = false;
    // Every voter works through the candidates, withdrawing every fifth vote again, until told to stop.
    const voting = Promise.all(voters.map(async (client, v) => {
      for (let i = 0; !stop && i < book.candidates.length; i++) {
        const candidateId = book.candidates[(i + v * 5) % book.candidates.length];
        const result = await client.request(OPS.castVote, { roundId: book.roundId, candidateId });
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        accepted.set(candidateId, (accepted.get(candidateId) ?? 0) + 1);
        perPhase[phase] += 1;
        if (i % 5 === 4) {
          await client.data(OPS.withdrawVote, { roundId: book.roundId, candidateId });
          accepted.set(candidateId, (accepted.get(candidateId) ?? 0) - 1);
        }
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    }));
    await waitFor(() => perPhase.before >= 10 || undefined, 'some votes before the fault');
    await redis.kill();
    phase = 'down';
    await waitFor(() => perPhase.down >= 10 || undefined, 'votes while Redis is down');
    await redis.restart();
    phase = 'after';
    await voting;
    stop = true;
    expect(perPhase.down).toBeGreaterThanOrEqual(10);

    // No accepted vote is missing from the votes, and none is there twice.
    expect(await countedFromVotes(t, book.roundId)).toEqual(Object.fromEntries([...accepted].filter(([, n]) => n !== 0)));
    await waitFor(async () => (await unfoldedEvents(t, book.roundId)) === 0, 'every vote event to be folded after the restart', { timeoutMs: 45_000 });
    expect(await liveTallies(t, book.roundId)).toEqual(await countedFromVotes(t, book.roundId));

    const { requestRecount } = await book.editor.data<{ requestRecount: { id: string } }>(OPS.requestRecount, { roundId: book.roundId });
    const recount = await waitFor(async () => {
      const { recount: r } = await book.editor.data<{ recount: { status: string; agreed: boolean; pendingEvents: number; totalVotes: number } }>(OPS.recount, { id: requestRecount.id });
      return r.status === 'DONE' ? r : undefined;
    }, 'the recount job');
    expect(recount).toMatchObject({ agreed: true, pendingEvents: 0, totalVotes: [...accepted.values()].reduce((sum, n) => sum + n, 0) });
    // The leaderboard shows the same.
    const { leaderboard } = await book.members[0].client.data<{ leaderboard: { entries: { candidateId: string; votes: number }[] } }>(OPS.leaderboard, { roundId: book.roundId, first: 100 });
    expect(Object.fromEntries(leaderboard.entries.filter((e) => e.votes).map((e) => [e.candidateId, e.votes]))).toEqual(await countedFromVotes(t, book.roundId));
  });
});
