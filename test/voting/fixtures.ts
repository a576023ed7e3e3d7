import { LEADERBOARD_PUSH_INTERVAL_MS } from '@quire/domain/voting';
import { GraphQLClient, TestApp } from '@quire/testing';
import { expectRefused } from '../api/helpers';
import { Book, MOTIVATION, NOMINATION_OPS, openBook } from '../nominations/fixtures';

/** The voting operations, written as the web app or an API client would send them. */
export const VOTING_OPS = {
  castVote: 'mutation($roundId: ID!, $candidateId: ID!) { castVote(roundId: $roundId, candidateId: $candidateId) { budget minimum votesCast votesLeft counting } }',
  withdrawVote: 'mutation($roundId: ID!, $candidateId: ID!) { withdrawVote(roundId: $roundId, candidateId: $candidateId) { votesCast votesLeft counting } }',
  moveVote: 'mutation($roundId: ID!, $from: ID!, $to: ID!) { moveVote(roundId: $roundId, fromCandidateId: $from, toCandidateId: $to) { votesCast votesLeft } }',
  myBallot: 'query($roundId: ID!) { myBallot(roundId: $roundId) { budget minimum votesCast votesLeft counting canVote votes { candidateId } } }',
  roundBallot: 'query($id: ID!) { round(id: $id) { id myBallot { votesLeft votes { candidateId } } } }',
  leaderboard: 'query($roundId: ID!, $first: Int) { leaderboard(roundId: $roundId, first: $first) { revision phase talliesVisible final totalVotes voters countedVoters candidateCount entries { rank votes candidateId name } } }',
  leaderboardChanged: 'subscription($roundId: ID!, $first: Int) { leaderboardChanged(roundId: $roundId, first: $first) { revision talliesVisible final totalVotes entries { rank previousRank votes candidateId name } } }',
  requestRecount: 'mutation($roundId: ID!) { requestRecount(roundId: $roundId) { id status createdAt finishedAt } }',
  recount: 'query($id: ID!) { recount(id: $id) { id status agreed totalVotes pendingEvents createdAt finishedAt differences { candidateId live recount candidate { name } } } }',
  recounts: 'query($roundId: ID!) { recounts(roundId: $roundId) { id status agreed } }',
  roundResults: 'query($roundId: ID!) { roundResults(roundId: $roundId) { totalVotes voters countedVoters liveTallyAgreed differences { candidateId } entries { rank votes candidate { id name status } } } }',
  exportRoundResults: 'query($roundId: ID!, $format: ExportFormat!) { exportRoundResults(roundId: $roundId, format: $format) }',
  proposeSelection: 'mutation($roundId: ID!, $input: SelectionInput!) { proposeSelection(roundId: $roundId, input: $input) { id size seed outcome status totalVotes selectedIds pinned excluded quotas { label dimension value min max available selected atLimit binding costInVotes } entries { votes drawPosition pinned candidate { id name } } } }',
  confirmSelection: 'mutation($id: ID!) { confirmSelection(id: $id) { id status confirmedAt } }',
  selection: 'query($id: ID!) { selection(id: $id) { id status outcome selectedIds } }',
  selections: 'query($roundId: ID!) { selections(roundId: $roundId) { id status } }',
  selectionTies: 'query($id: ID!) { selection(id: $id) { seed selectedIds ties { votes candidates { drawPosition selected candidate { id } } } } }',
  selectionPlaces: 'query($id: ID!) { round(id: $id) { id selectionPlaces { portraits selectedElsewhere selectedElsewhereIds confirmedHere left } } }',
} as const;

export interface Ballot {
  budget: number;
  minimum: number;
  votesCast: number;
  votesLeft: number;
  counting: boolean;
}

export interface VotingBook extends Book {
  /** Candidate ids with a published nomination in the round, in the order they were named. */
  candidates: string[];
}

export interface NewCandidate {
  name: string;
  gender?: string;
  governmentLayer?: string;
  region?: string;
  periodStart?: number;
  periodEnd?: number;
}

/**
 * A project (one person of each role, three members) whose round has `candidates` published by
 * import and is open for voting under `round` settings.
 */
export async function votingBook(t: TestApp, candidates: (string | NewCandidate)[], round: Record<string, unknown> = {}): Promise<VotingBook> {
  const book = await openBook(t, round);
  const ids = await importCandidates(book.editor, book.roundId, candidates.map((c) => (typeof c === 'string' ? { name: c } : c)));
  await book.editor.data(NOMINATION_OPS.advanceRound, { id: book.roundId, to: 'VOTING' });
  return { ...book, candidates: ids };
}

const csvCell = (value: string | number | undefined): string => (value === undefined ? '' : `"${String(value).replace(/"/g, '""')}"`);

/** Imports one published nomination per candidate (all at once) and returns the candidates' ids in order. */
export async function importCandidates(editor: GraphQLClient, roundId: string, candidates: NewCandidate[]): Promise<string[]> {
  const header = 'name,motivation,gender,government_layer,region,period_start,period_end';
  const rows = candidates.map((c) => [c.name, MOTIVATION, c.gender, c.governmentLayer, c.region, c.periodStart, c.periodEnd].map(csvCell).join(','));
  await editor.data(NOMINATION_OPS.importNominations, { roundId, csv: [header, ...rows].join('\n') });
  const ids: string[] = [];
  const { candidates: list } = await editor.data<{ candidates: { nodes: { candidate: { id: string; name: string } }[] } }>(
    NOMINATION_OPS.candidates, { projectId: await projectOfRound(editor, roundId), filter: { roundId }, sort: 'NAME', first: 100 },
  );
  const idOf = new Map(list.nodes.map((n) => [n.candidate.name, n.candidate.id]));
  for (const c of candidates) ids.push(idOf.get(c.name) as string);
  return ids;
}

async function projectOfRound(client: GraphQLClient, roundId: string): Promise<string> {
  const { round } = await client.data<{ round: { projectId: string } }>('query($id: ID!) { round(id: $id) { projectId } }', { id: roundId });
  return round.projectId;
}

export async function cast(client: GraphQLClient, roundId: string, candidateId: string): Promise<Ballot> {
  return (await client.data<{ castVote: Ballot }>(VOTING_OPS.castVote, { roundId, candidateId })).castVote;
}

/** Counts from the votes table itself, computed here rather than with the code under test. */
export async function countedFromVotes(t: TestApp, roundId: string): Promise<Record<string, number>> {
  const rows: { candidate_id: string; n: number }[] = await t.dataSource.query(
    `SELECT v.candidate_id, count(*)::int AS n FROM votes v JOIN ballots b USING (round_id, user_id) JOIN rounds r ON r.id = v.round_id
      WHERE v.round_id = $1 AND b.votes_cast >= r.min_votes_per_member GROUP BY v.candidate_id`,
    [roundId],
  );
  return Object.fromEntries(rows.map((r) => [r.candidate_id, r.n]));
}

/** The live tallies as stored, without zero rows. */
export async function liveTallies(t: TestApp, roundId: string): Promise<Record<string, number>> {
  const rows: { candidate_id: string; votes: number }[] = await t.dataSource.query(`SELECT candidate_id, votes FROM tallies WHERE round_id = $1 AND votes <> 0`, [roundId]);
  return Object.fromEntries(rows.map((r) => [r.candidate_id, r.votes]));
}

export async function unfoldedEvents(t: TestApp, roundId: string): Promise<number> {
  const [{ n }] = await t.dataSource.query(
    `SELECT count(*)::int AS n FROM vote_events WHERE round_id = $1 AND id > COALESCE((SELECT folded_through FROM tally_marks WHERE round_id = $1), 0)`,
    [roundId],
  );
  return n;
}

/**
 * Waits until the worker has nothing left to do (every outbox job processed, and the leaderboard
 * push that may follow a fold), so a test can show that a refused request changed no table.
 */
export async function settled(t: TestApp): Promise<void> {
  await t.jobsSettled();
  await new Promise((resolve) => setTimeout(resolve, LEADERBOARD_PUSH_INTERVAL_MS + 250));
}

/** expectRefused, once the worker has settled. */
export async function expectRefusedSettled(t: TestApp, client: GraphQLClient, query: string, variables: Record<string, unknown>, code: string): ReturnType<typeof expectRefused> {
  await settled(t);
  return expectRefused(t, client, query, variables, code);
}
