import { ProjectRole } from '@quire/core';
import { dbSnapshot, startTestApp, TestApp, waitFor } from '@quire/testing';
import { NOMINATION_OPS } from '../nominations/fixtures';
import { Ballot, cast, countedFromVotes, expectRefusedSettled, liveTallies, settled, unfoldedEvents, VOTING_OPS as OPS, votingBook } from './fixtures';

/** Waits until every vote event is folded, then expects the live tallies to equal a count of the votes. */
async function expectTalliesAgree(t: TestApp, roundId: string): Promise<void> {
  await waitFor(async () => (await unfoldedEvents(t, roundId)) === 0, 'every vote event to be folded');
  expect(await liveTallies(t, roundId)).toEqual(await countedFromVotes(t, roundId));
}

describe('ballots', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'ballots', worker: true }); });
  afterAll(async () => { await t?.close(); });

  it('holds the budget against 50 simultaneous votes of one member', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `Kandidaat ${String(i).padStart(2, '0')} Budget`);
    const book = await votingBook(t, names, { votesPerMember: 7 });
    const member = book.members[0];
    const results = await Promise.all(book.candidates.slice(0, 50).map((candidateId) => member.client.request<{ castVote: Ballot }>(OPS.castVote, { roundId: book.roundId, candidateId })));
    const accepted = results.filter((r) => r.data?.castVote);
    const refused = results.filter((r) => r.errors);
    expect(accepted).toHaveLength(7);
    expect(refused).toHaveLength(43);
    expect(refused.every((r) => r.errors?.[0].extensions?.code === 'LIMIT_EXCEEDED')).toBe(true);
    // Each accepted vote saw a different count: they ran one after another.
    expect(accepted.map((r) => r.data?.castVote.votesCast).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const [{ votes, cast: votesCast }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM votes WHERE round_id = $1 AND user_id = $2) AS votes, (SELECT votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2) AS cast`,
      [book.roundId, member.userId],
    );
    expect({ votes, votesCast }).toEqual({ votes: 7, votesCast: 7 });
    await expectTalliesAgree(t, book.roundId);
  });

  it('gives one vote per member per candidate, also when asked twice at once', async () => {
    const book = await votingBook(t, ['Anna Eén', 'Bas Twee'], { votesPerMember: 5 });
    const member = book.members[0];
    const results = await Promise.all(Array.from({ length: 10 }, () => member.client.request(OPS.castVote, { roundId: book.roundId, candidateId: book.candidates[0] })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(9);
    await expectRefusedSettled(t, member.client, OPS.castVote, { roundId: book.roundId, candidateId: book.candidates[0] }, 'CONFLICT');
    const { myBallot } = await member.client.data<{ myBallot: Ballot & { votes: { candidateId: string }[] } }>(OPS.myBallot, { roundId: book.roundId });
    expect(myBallot).toMatchObject({ budget: 5, votesCast: 1, votesLeft: 4, votes: [{ candidateId: book.candidates[0] }] });
  });

  it('answers each of many votes arriving together on its own, the refused ones changing nothing', async () => {
    const book = await votingBook(t, ['Lies Een', 'Mark Twee', 'Nina Drie', 'Otto Vier'], { votesPerMember: 2 });
    const [a, b, c, d] = book.candidates;
    await book.editor.data(NOMINATION_OPS.block, { projectId: book.projectId, userId: book.members[2].userId, reason: 'Spam' });
    const [m0, m1, m2] = book.members.map((m) => m.client);
    // Asked at once, so they share batches: a member's votes never the same one.
    const attempts = [
      [m0, a], [m0, b], [m0, c], [m1, a], [m1, a], [m1, d], [m2, a], [book.outsider, b], [m0, '00000000-0000-4000-8000-000000000000'],
    ] as const;
    const results = await Promise.all(attempts.map(([client, candidateId]) => client.request<{ castVote: Ballot }>(OPS.castVote, { roundId: book.roundId, candidateId })));
    const outcome = (i: number): string => results[i].errors?.[0].extensions?.code as string ?? 'OK';
    // m0: two of a, b, c fit the budget; the third is over it (or the unknown candidate came first).
    expect([0, 1, 2].map(outcome).sort()).toEqual(['LIMIT_EXCEEDED', 'OK', 'OK']);
    expect([3, 4].map(outcome).sort()).toEqual(['CONFLICT', 'OK']);
    expect([outcome(5), outcome(6), outcome(7), outcome(8)]).toEqual(['OK', 'BLOCKED', 'FORBIDDEN', 'NOT_FOUND']);
    const ballots: { user_id: string; votes_cast: number; votes: number }[] = await t.dataSource.query(
      `SELECT b.user_id, b.votes_cast, (SELECT count(*)::int FROM votes v WHERE v.round_id = b.round_id AND v.user_id = b.user_id) AS votes FROM ballots b WHERE b.round_id = $1 ORDER BY b.user_id`,
      [book.roundId],
    );
    expect(ballots.map((row) => row.votes_cast)).toEqual(ballots.map((row) => row.votes));
    expect(Object.fromEntries(ballots.map((row) => [row.user_id, row.votes]))).toEqual({ [book.members[0].userId]: 2, [book.members[1].userId]: 2 });
    await expectTalliesAgree(t, book.roundId);
  });

  it('tries each vote of a batch alone when the batch fails, so one vote\'s failure is its own', async () => {
    const book = await votingBook(t, ['Piet Een', 'Quinten Twee'], { votesPerMember: 2 });
    const [good, failing] = book.candidates;
    // A database failure for one candidate's votes only (a stand-in for a constraint or a bug).
    await t.dataSource.query(`
      CREATE FUNCTION fail_for_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.candidate_id = '${failing}' THEN RAISE EXCEPTION 'refusing this candidate'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fail_for_candidate BEFORE INSERT ON votes FOR EACH ROW EXECUTE FUNCTION fail_for_candidate();`);
    try {
      const results = await Promise.all(book.members.map((member, i) => member.client.request<{ castVote: Ballot }>(OPS.castVote, { roundId: book.roundId, candidateId: i === 1 ? failing : good })));
      expect(results.map((r) => r.errors?.[0].extensions?.code ?? 'OK')).toEqual(['OK', 'INTERNAL_SERVER_ERROR', 'OK']);
      expect(await countedFromVotes(t, book.roundId)).toEqual({ [good]: 2 });
      await expectTalliesAgree(t, book.roundId);
    } finally {
      await t.dataSource.query(`DROP TRIGGER fail_for_candidate ON votes; DROP FUNCTION fail_for_candidate()`);
    }
  });

  it('casts the votes of a batch whose connection was lost mid-call on a new one, once each, and goes on voting', async () => {
    const book = await votingBook(t, ['Tineke Een', 'Udo Twee'], { votesPerMember: 2 });
    const [slow, other] = book.candidates;
    // A vote for `slow` holds its batch in the database for a while, the first time only, so the
    // test can end that connection mid-call (as a restart of PostgreSQL's backend or a network cut would).
    await t.dataSource.query(`
      CREATE TABLE slowed_once (done boolean);
      CREATE FUNCTION slow_down_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.candidate_id = '${slow}' AND NOT EXISTS (SELECT 1 FROM slowed_once) THEN PERFORM pg_sleep(5); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER slow_down_once BEFORE INSERT ON votes FOR EACH ROW EXECUTE FUNCTION slow_down_once();`);
    try {
      const [first, second] = book.members;
      const voting = Promise.all([first, second].map((member) => member.client.request<{ castVote: Ballot }>(OPS.castVote, { roundId: book.roundId, candidateId: slow })));
      const [held] = await waitFor(async () => {
        const rows: { pid: number }[] = await t.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`);
        return rows.length > 0 ? rows : undefined;
      }, 'the batch to be held in the database');
      await t.dataSource.query(`INSERT INTO slowed_once VALUES (true)`);
      await t.dataSource.query(`SELECT pg_terminate_backend($1)`, [held.pid]);
      const results = await voting;
      expect(results.map((r) => r.errors?.[0].extensions?.code ?? r.data?.castVote.votesCast)).toEqual([1, 1]);
      expect(await countedFromVotes(t, book.roundId)).toEqual({ [slow]: 2 });
      // The process lives on, and so does voting.
      expect((await cast(first.client, book.roundId, other)).votesCast).toBe(2);
      await expectTalliesAgree(t, book.roundId);
    } finally {
      await t.dataSource.query(`DROP TRIGGER slow_down_once ON votes; DROP FUNCTION slow_down_once(); DROP TABLE slowed_once`);
    }
  });

  it('gives the ballot back what a vote took when another change wrote the same vote meanwhile', async () => {
    const book = await votingBook(t, ['Rik Een', 'Sanne Twee'], { votesPerMember: 2 });
    const [a, b] = book.candidates;
    const member = book.members[0];
    await cast(member.client, book.roundId, a);
    // Another change of this ballot (a move from a to b, as another api process would write it)
    // holds the ballot's row while the vote for b is cast, and commits after the vote's snapshot.
    const other = await t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await other.query(`SELECT pg_advisory_xact_lock_shared(hashtext('quire-round-votes'), hashtext($1::uuid::text))`, [book.roundId]);
      await other.query(`SELECT 1 FROM ballots WHERE round_id = $1 AND user_id = $2 FOR UPDATE`, [book.roundId, member.userId]);
      await other.query(`DELETE FROM votes WHERE round_id = $1 AND user_id = $2 AND candidate_id = $3`, [book.roundId, member.userId, a]);
      await other.query(`INSERT INTO votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3)`, [book.roundId, member.userId, b]);
      await other.query(`SELECT record_vote_events(ARRAY[$1, $1]::uuid[], ARRAY[$2, $2]::uuid[], ARRAY[$3, $4]::uuid[], ARRAY['MOVED_OUT', 'MOVED_IN'], ARRAY[-1, 1]::smallint[], ARRAY[0, 0], ARRAY[1, 1], ARRAY[1, 1])`, [book.roundId, member.userId, a, b]);
      await other.query(`SELECT outbox_enqueue('tallies', 'fold', jsonb_build_object('roundId', $1::text), now(), $1::text)`, [book.roundId]);
      const vote = member.client.request<{ castVote: Ballot }>(OPS.castVote, { roundId: book.roundId, candidateId: b });
      await waitFor(async () => (await t.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).length > 0, 'the vote to wait for the ballot');
      await other.commitTransaction();
      expect((await vote).errors?.[0].extensions?.code).toBe('CONFLICT');
    } finally {
      await other.release();
    }
    const [{ votes, votes_cast }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM votes WHERE round_id = $1 AND user_id = $2) AS votes, (SELECT votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2) AS votes_cast`,
      [book.roundId, member.userId],
    );
    expect({ votes, votes_cast }).toEqual({ votes: 1, votes_cast: 1 });
    await expectTalliesAgree(t, book.roundId);
    expect(await liveTallies(t, book.roundId)).toEqual({ [b]: 1 });
  });

  it('counts nobody\'s votes until they reach the minimum, and stops counting them below it', async () => {
    const book = await votingBook(t, ['Cees Drie', 'Dirk Vier', 'Eva Vijf', 'Fien Zes'], { votesPerMember: 4, minVotesPerMember: 3 });
    const [a, b, c] = book.candidates;
    const member = book.members[0];
    expect(await cast(member.client, book.roundId, a)).toMatchObject({ votesCast: 1, counting: false, minimum: 3 });
    await cast(member.client, book.roundId, b);
    await expectTalliesAgree(t, book.roundId);
    expect(await liveTallies(t, book.roundId)).toEqual({});
    expect(await cast(member.client, book.roundId, c)).toMatchObject({ votesCast: 3, counting: true });
    await expectTalliesAgree(t, book.roundId);
    expect(await liveTallies(t, book.roundId)).toEqual({ [a]: 1, [b]: 1, [c]: 1 });
    const { withdrawVote } = await member.client.data<{ withdrawVote: Ballot }>(OPS.withdrawVote, { roundId: book.roundId, candidateId: b });
    expect(withdrawVote).toMatchObject({ votesCast: 2, counting: false });
    await expectTalliesAgree(t, book.roundId);
    expect(await liveTallies(t, book.roundId)).toEqual({});
    const { leaderboard } = await book.editor.data<{ leaderboard: { totalVotes: number; voters: number; countedVoters: number } }>(OPS.leaderboard, { roundId: book.roundId });
    expect(leaderboard).toMatchObject({ totalVotes: 0, voters: 1, countedVoters: 0 });
  });

  it('withdraws and moves votes while voting is open, within the budget', async () => {
    const book = await votingBook(t, ['Gijs Zeven', 'Hanna Acht', 'Ids Negen'], { votesPerMember: 2 });
    const [a, b, c] = book.candidates;
    const member = book.members[1];
    await cast(member.client, book.roundId, a);
    await cast(member.client, book.roundId, b);
    await expectRefusedSettled(t, member.client, OPS.castVote, { roundId: book.roundId, candidateId: c }, 'LIMIT_EXCEEDED');
    const { moveVote } = await member.client.data<{ moveVote: Ballot }>(OPS.moveVote, { roundId: book.roundId, from: a, to: c });
    expect(moveVote).toMatchObject({ votesCast: 2, votesLeft: 0 });
    await expectRefusedSettled(t, member.client, OPS.moveVote, { roundId: book.roundId, from: a, to: c }, 'NOT_FOUND');
    await expectRefusedSettled(t, member.client, OPS.moveVote, { roundId: book.roundId, from: b, to: c }, 'CONFLICT');
    await expectRefusedSettled(t, member.client, OPS.withdrawVote, { roundId: book.roundId, candidateId: a }, 'NOT_FOUND');
    await member.client.data(OPS.withdrawVote, { roundId: book.roundId, candidateId: b });
    expect(await cast(member.client, book.roundId, a)).toMatchObject({ votesCast: 2 });
    await expectTalliesAgree(t, book.roundId);
    expect(await liveTallies(t, book.roundId)).toEqual({ [a]: 1, [c]: 1 });
    const kinds: { kind: string }[] = await t.dataSource.query(`SELECT kind FROM vote_events WHERE round_id = $1 ORDER BY id`, [book.roundId]);
    expect(kinds.map((k) => k.kind)).toEqual(['CAST', 'CAST', 'MOVED_OUT', 'MOVED_IN', 'WITHDRAWN', 'CAST']);
  });

  it('lets only the roles of the phase vote, only while voting, and fixes the budget meanwhile', async () => {
    const book = await votingBook(t, ['Jan Tien', 'Kees Elf']);
    const [a] = book.candidates;
    const vote = { roundId: book.roundId, candidateId: a };
    await expectRefusedSettled(t, book.outsider, OPS.castVote, vote, 'FORBIDDEN');
    await expectRefusedSettled(t, book.admin, OPS.castVote, vote, 'FORBIDDEN'); // the default rules let members vote
    await expectRefusedSettled(t, book.editor, NOMINATION_OPS.updateRound, { id: book.roundId, input: { votesPerMember: 20 } }, 'NOT_ALLOWED_IN_PHASE');
    await book.editor.data(NOMINATION_OPS.updateRound, { id: book.roundId, input: { title: 'Stemronde' } });
    const { myBallot } = await book.outsider.request<{ myBallot: unknown }>(OPS.myBallot, { roundId: book.roundId }).then((r) => ({ myBallot: r.errors?.[0].extensions?.code }));
    expect(myBallot).toBe('NOT_FOUND');
    await cast(book.members[0].client, book.roundId, a);
    // A blocked member may not vote.
    await book.editor.data(NOMINATION_OPS.block, { projectId: book.projectId, userId: book.members[2].userId, reason: 'Spam' });
    await expectRefusedSettled(t, book.members[2].client, OPS.castVote, vote, 'BLOCKED');
    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });
    await expectRefusedSettled(t, book.members[1].client, OPS.castVote, vote, 'NOT_ALLOWED_IN_PHASE');
    await expectRefusedSettled(t, book.members[0].client, OPS.withdrawVote, vote, 'NOT_ALLOWED_IN_PHASE');
    const closed = await book.members[0].client.data<{ myBallot: { canVote: boolean; votesCast: number } }>(OPS.myBallot, { roundId: book.roundId });
    expect(closed.myBallot).toMatchObject({ canVote: false, votesCast: 1 });
  });

  it('refuses votes in a round that is not voting yet', async () => {
    const book = await votingBook(t, ['Lies Twaalf']);
    // A second round of the same project, still nominating.
    const { createRound } = await book.editor.data<{ createRound: { id: string } }>(NOMINATION_OPS.createRound, { projectId: book.projectId, input: { title: 'Later' } });
    await expectRefusedSettled(t, book.members[0].client, OPS.castVote, { roundId: createRound.id, candidateId: book.candidates[0] }, 'NOT_ALLOWED_IN_PHASE');
  });

  it('answers bad input with typed errors and changes nothing', async () => {
    const book = await votingBook(t, ['Marie Dertien']);
    const member = book.members[0].client;
    const otherBook = await votingBook(t, ['Niels Veertien']);
    await expectRefusedSettled(t, member, OPS.castVote, { roundId: 'not-an-id', candidateId: book.candidates[0] }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, member, OPS.castVote, { roundId: book.roundId, candidateId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND');
    await expectRefusedSettled(t, member, OPS.castVote, { roundId: '00000000-0000-4000-8000-000000000000', candidateId: book.candidates[0] }, 'NOT_FOUND');
    // A candidate of another project is unknown here.
    await expectRefusedSettled(t, member, OPS.castVote, { roundId: book.roundId, candidateId: otherBook.candidates[0] }, 'NOT_FOUND');
    await expectRefusedSettled(t, member, OPS.castVote, { roundId: book.roundId }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, member, OPS.moveVote, { roundId: book.roundId, from: book.candidates[0], to: book.candidates[0] }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, member, OPS.leaderboard, { roundId: book.roundId, first: 0 }, 'BAD_USER_INPUT');
    await expectRefusedSettled(t, member, OPS.leaderboard, { roundId: book.roundId, first: 100000 }, 'BAD_USER_INPUT');
  });

  it('votes only for candidates with a published nomination in the round', async () => {
    const book = await votingBook(t, ['Olga Vijftien', 'Piet Zestien']);
    const [nomination] = (await t.dataSource.query(`SELECT id FROM nominations WHERE candidate_id = $1`, [book.candidates[1]])) as { id: string }[];
    await book.editor.data(NOMINATION_OPS.moderate, { targetType: 'NOMINATION', targetId: nomination.id, decision: 'HIDE', reason: 'Geen bron' });
    await expectRefusedSettled(t, book.members[0].client, OPS.castVote, { roundId: book.roundId, candidateId: book.candidates[1] }, 'BAD_USER_INPUT');
  });

  it('shows tallies to members only where the phase does, and always to editors', async () => {
    const book = await votingBook(t, ['Quinten Zeventien', 'Roos Achttien']);
    await cast(book.members[0].client, book.roundId, book.candidates[1]);
    await expectTalliesAgree(t, book.roundId);
    type Board = { leaderboard: { talliesVisible: boolean; totalVotes: number | null; entries: { name: string; votes: number; rank: number }[] } };
    const visible = await book.members[1].client.data<Board>(OPS.leaderboard, { roundId: book.roundId });
    expect(visible.leaderboard.entries).toEqual([expect.objectContaining({ name: 'Roos Achttien', votes: 1, rank: 1 }), expect.objectContaining({ name: 'Quinten Zeventien', votes: 0, rank: 2 })]);
    const hidden = await votingBook(t, ['Sanne Negentien'], {
      rules: {
        DRAFT: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: false },
        NOMINATING: { nominate: [ProjectRole.MEMBER], endorse: [], comment: [], vote: [], talliesVisible: false },
        VOTING: { nominate: [], endorse: [], comment: [], vote: [ProjectRole.MEMBER], talliesVisible: false },
        CLOSED: { nominate: [], endorse: [], comment: [], vote: [], talliesVisible: true },
      },
    });
    await cast(hidden.members[0].client, hidden.roundId, hidden.candidates[0]);
    await expectTalliesAgree(t, hidden.roundId);
    const member = await hidden.members[1].client.data<Board>(OPS.leaderboard, { roundId: hidden.roundId });
    expect(member.leaderboard).toMatchObject({ talliesVisible: false, totalVotes: null, entries: [] });
    const editor = await hidden.editor.data<Board>(OPS.leaderboard, { roundId: hidden.roundId });
    expect(editor.leaderboard).toMatchObject({ talliesVisible: true, totalVotes: 1 });
    await settled(t);
    const before = await dbSnapshot(t.dataSource);
    expect((await book.outsider.request(OPS.leaderboard, { roundId: book.roundId })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await dbSnapshot(t.dataSource)).toEqual(before);
  });

  it("takes a member's votes and vote events with their ballot when the member is deleted", async () => {
    const book = await votingBook(t, ['Pim Een', 'Quinten Twee'], { votesPerMember: 2 });
    const [gone, stays] = book.members;
    for (const member of [gone, stays]) for (const candidateId of book.candidates) await cast(member.client, book.roundId, candidateId);
    await settled(t);
    await t.dataSource.query(`DELETE FROM users WHERE id = $1`, [gone.userId]);
    const rowsOf = async (userId: string): Promise<{ ballots: number; votes: number; events: number }> => {
      const [counts] = await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM ballots WHERE round_id = $1 AND user_id = $2) AS ballots,
                (SELECT count(*)::int FROM votes WHERE round_id = $1 AND user_id = $2) AS votes,
                (SELECT count(*)::int FROM vote_events WHERE round_id = $1 AND user_id = $2) AS events`,
        [book.roundId, userId],
      );
      return counts;
    };
    expect(await rowsOf(gone.userId)).toEqual({ ballots: 0, votes: 0, events: 0 });
    expect(await rowsOf(stays.userId)).toEqual({ ballots: 1, votes: 2, events: 2 });
  });
});
