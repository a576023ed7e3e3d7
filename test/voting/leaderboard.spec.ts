import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, TestApp, waitFor } from '@quire/testing';
import { NOMINATION_OPS } from '../nominations/fixtures';
import { cast, settled, VOTING_OPS as OPS, votingBook } from './fixtures';

interface Pushed {
  revision: number;
  talliesVisible: boolean;
  final: boolean;
  totalVotes: number | null;
  entries: { rank: number; previousRank: number | null; votes: number; candidateId: string; name: string }[];
}

describe('the live leaderboard and the results', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'leaderboard', worker: true }); });
  afterAll(async () => { await t?.close(); });

  function watch(token: string, roundId: string): { pushes: { at: number; board: Pushed }[]; dispose: () => Promise<void> } {
    const pushes: { at: number; board: Pushed }[] = [];
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    client.subscribe<{ leaderboardChanged: Pushed }>({ query: OPS.leaderboardChanged, variables: { roundId, first: 10 } }, {
      next: (message) => { if (message.data) pushes.push({ at: Date.now(), board: message.data.leaderboardChanged }); },
      error: () => undefined,
      complete: () => undefined,
    });
    return { pushes, dispose: async () => { await client.dispose(); } };
  }

  it('pushes rank changes to a watcher within a second of each vote, then the frozen results', async () => {
    const book = await votingBook(t, ['Anna Live', 'Bert Live', 'Cees Live'], { votesPerMember: 2 });
    const [a, b, c] = book.candidates;
    // An author watches (and does not vote).
    const sessions = watch(book.author.token as string, book.roundId);
    await waitFor(() => sessions.pushes.length > 0 || undefined, 'the current standings');
    expect(sessions.pushes[0].board.entries.map((e) => e.votes)).toEqual([0, 0, 0]);

    const voteAndSee = async (client: typeof book.editor, candidateId: string, expected: Record<string, number>): Promise<number> => {
      const sent = Date.now();
      await cast(client, book.roundId, candidateId);
      const push = await waitFor(() => sessions.pushes.find((p) => p.at >= sent && Object.entries(expected).every(([id, n]) => p.board.entries.find((e) => e.candidateId === id)?.votes === n)), 'the leaderboard to move', { timeoutMs: 5000 });
      return push.at - sent;
    };
    const lags = [
      await voteAndSee(book.members[0].client, b, { [b]: 1 }),
      await voteAndSee(book.members[1].client, c, { [b]: 1, [c]: 1 }),
      await voteAndSee(book.members[2].client, c, { [c]: 2 }),
    ];
    expect(Math.max(...lags)).toBeLessThan(1000);
    const last = sessions.pushes[sessions.pushes.length - 1].board;
    expect(last.entries.map((e) => [e.candidateId, e.rank, e.votes])).toEqual([[c, 1, 2], [b, 2, 1], [a, 3, 0]]);
    expect(last.entries[0].previousRank).toBe(1); // c shared first place with b before
    const revisions = sessions.pushes.map((p) => p.board.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));

    await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'CLOSED' });
    await waitFor(() => sessions.pushes.find((p) => p.board.final) || undefined, 'the final results to be pushed');
    await sessions.dispose();

    const { roundResults } = await book.members[0].client.data<{ roundResults: { totalVotes: number; voters: number; liveTallyAgreed: boolean; entries: { rank: number; votes: number; candidate: { id: string } }[] } }>(OPS.roundResults, { roundId: book.roundId });
    expect(roundResults).toMatchObject({ totalVotes: 3, voters: 3, liveTallyAgreed: true });
    expect(roundResults.entries.map((e) => [e.candidate.id, e.rank, e.votes])).toEqual([[c, 1, 2], [b, 2, 1], [a, 3, 0]]);
    const csv = (await book.members[0].client.data<{ exportRoundResults: string }>(OPS.exportRoundResults, { roundId: book.roundId, format: 'CSV' })).exportRoundResults;
    expect(csv.split('\n')[0]).toBe('rank,votes,candidate_id,name,birth_year,death_year,government_layer,gender,region,period_start,period_end,wikidata_id');
    expect(csv).toContain(`1,2,${c},Cees Live`);
    const json = JSON.parse((await book.members[0].client.data<{ exportRoundResults: string }>(OPS.exportRoundResults, { roundId: book.roundId, format: 'JSON' })).exportRoundResults);
    expect(json).toMatchObject({ totals: { votes: 3, voters: 3 }, liveTallyAgreed: true, results: [{ rank: 1, votes: 2, candidateId: c }, { rank: 2 }, { rank: 3, votes: 0 }] });
    // Frozen: no more votes, the leaderboard is the results.
    await settled(t);
    const { leaderboard } = await book.members[1].client.data<{ leaderboard: { final: boolean; totalVotes: number } }>(OPS.leaderboard, { roundId: book.roundId });
    expect(leaderboard).toMatchObject({ final: true, totalVotes: 3 });
  });

  it('refuses an export of an open round and a subscription of an outsider', async () => {
    const book = await votingBook(t, ['Dirk Open']);
    const result = await book.members[0].client.request(OPS.exportRoundResults, { roundId: book.roundId, format: 'CSV' });
    expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    const outsider = await t.person([]);
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${outsider.token}` }, retryAttempts: 0 });
    const event = await client.iterate({ query: OPS.leaderboardChanged, variables: { roundId: book.roundId } }).next();
    expect((event.value as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
    await client.dispose();
  });
});
