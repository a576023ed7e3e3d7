import { startTestApp, TestApp } from '@quire/testing';
import { NOMINATION_OPS } from '../nominations/fixtures';
import { Ballot, cast, countedFromVotes, expectRefusedSettled, liveTallies, settled, VOTING_OPS as OPS, votingBook } from './fixtures';

describe('votes follow a candidate merge', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'votemerge', worker: true }); });
  afterAll(async () => { await t?.close(); });

  const votesOf = async (roundId: string): Promise<string[]> =>
    ((await t.dataSource.query(`SELECT user_id || ':' || candidate_id AS v FROM votes WHERE round_id = $1 ORDER BY 1`, [roundId])) as { v: string }[]).map((r) => r.v);

  it('moves votes once, gives back the vote of a member who backed both, and undo restores them', async () => {
    const book = await votingBook(t, ['Johan Rudolph Thorbecke', 'J.R. Thorbecke', 'Aletta Jacobs'], { votesPerMember: 2 });
    const [target, source, other] = book.candidates;
    const [m0, m1, m2] = book.members;
    await cast(m0.client, book.roundId, target);
    await cast(m0.client, book.roundId, source); // backed both: keeps one, gets one back
    await cast(m1.client, book.roundId, source); // moves over
    await cast(m2.client, book.roundId, other);
    await settled(t);
    const before = await votesOf(book.roundId);

    const { mergeCandidates } = await book.editor.data<{ mergeCandidates: { id: string } }>(NOMINATION_OPS.merge, { sourceId: source, targetId: target });
    await settled(t);
    expect(await votesOf(book.roundId)).toEqual([`${m0.userId}:${target}`, `${m1.userId}:${target}`, `${m2.userId}:${other}`].sort());
    expect(await liveTallies(t, book.roundId)).toEqual({ [target]: 2, [other]: 1 });
    expect(await liveTallies(t, book.roundId)).toEqual(await countedFromVotes(t, book.roundId));
    const { myBallot } = await m0.client.data<{ myBallot: Ballot }>(OPS.myBallot, { roundId: book.roundId });
    expect(myBallot).toMatchObject({ votesCast: 1, votesLeft: 1 });
    // A vote for the merged candidate goes to the one it was merged into: here m1 has it already.
    await expectRefusedSettled(t, m1.client, OPS.castVote, { roundId: book.roundId, candidateId: source }, 'CONFLICT');
    const { leaderboard } = await m2.client.data<{ leaderboard: { entries: { candidateId: string; votes: number }[] } }>(OPS.leaderboard, { roundId: book.roundId });
    expect(leaderboard.entries.map((e) => e.candidateId)).not.toContain(source);

    await book.editor.data(NOMINATION_OPS.undoMerge, { mergeId: mergeCandidates.id });
    await settled(t);
    expect(await votesOf(book.roundId)).toEqual(before);
    expect(await liveTallies(t, book.roundId)).toEqual({ [target]: 1, [source]: 2, [other]: 1 });
    expect(await liveTallies(t, book.roundId)).toEqual(await countedFromVotes(t, book.roundId));
    const ballots: { user_id: string; votes_cast: number }[] = await t.dataSource.query(`SELECT user_id, votes_cast FROM ballots WHERE round_id = $1`, [book.roundId]);
    expect(Object.fromEntries(ballots.map((b) => [b.user_id, b.votes_cast]))).toEqual({ [m0.userId]: 2, [m1.userId]: 1, [m2.userId]: 1 });
    const kinds: { kind: string; n: number }[] = await t.dataSource.query(`SELECT kind, count(*)::int AS n FROM vote_events WHERE round_id = $1 AND (kind LIKE 'MERGE%' OR kind LIKE 'UNDO%') GROUP BY kind ORDER BY kind`, [book.roundId]);
    expect(kinds).toEqual([
      { kind: 'MERGE_DROPPED', n: 1 }, { kind: 'MERGE_MOVED_IN', n: 1 }, { kind: 'MERGE_MOVED_OUT', n: 1 },
      { kind: 'UNDO_MOVED_IN', n: 1 }, { kind: 'UNDO_MOVED_OUT', n: 1 }, { kind: 'UNDO_RESTORED', n: 1 },
    ]);
  });

  it('does not restore a vote the member has spent since, and says so', async () => {
    const book = await votingBook(t, ['Willem Drees', 'W. Drees', 'Marga Klompé'], { votesPerMember: 2 });
    const [target, source, other] = book.candidates;
    const member = book.members[0];
    await cast(member.client, book.roundId, target);
    await cast(member.client, book.roundId, source);
    const { mergeCandidates } = await book.editor.data<{ mergeCandidates: { id: string } }>(NOMINATION_OPS.merge, { sourceId: source, targetId: target });
    await cast(member.client, book.roundId, other); // the vote they got back
    await book.editor.data(NOMINATION_OPS.undoMerge, { mergeId: mergeCandidates.id });
    await settled(t);
    expect(await votesOf(book.roundId)).toEqual([`${member.userId}:${target}`, `${member.userId}:${other}`].sort());
    expect(await liveTallies(t, book.roundId)).toEqual(await countedFromVotes(t, book.roundId));
    const [audit] = await t.dataSource.query(`SELECT data FROM audit_events WHERE action = 'votes.not_restored_by_undo' AND entity_id = $1`, [source]);
    expect(audit.data).toEqual({ count: 1 });
  });

  it('leaves the votes of a closed round as they were counted', async () => {
    const book = await votingBook(t, ['Hendrik Colijn', 'H. Colijn']);
    const [target, source] = book.candidates;
    await cast(book.members[0].client, book.roundId, source);
    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });
    await book.editor.data(NOMINATION_OPS.merge, { sourceId: source, targetId: target });
    expect(await votesOf(book.roundId)).toEqual([`${book.members[0].userId}:${source}`]);
  });
});
