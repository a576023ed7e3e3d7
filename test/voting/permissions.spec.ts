import { ProjectRole } from '@quire/core';
import { anonymous, describePermissions, GraphQLClient, PermissionCase, rootHandlers, startTestApp, TestApp } from '@quire/testing';
import { NOMINATION_OPS } from '../nominations/fixtures';
import { cast, importCandidates, VOTING_OPS as OPS } from './fixtures';

/**
 * Every mutation of the voting context, called by every kind of caller that must be refused: the
 * code says why and no table changes. The lowest role that may call it then succeeds.
 */
type Caller = 'anonymous' | 'outsider' | 'member' | 'author' | 'admin' | 'editor';

interface Fixture {
  roundId: string;
  closedRoundId: string;
  clients: Record<Caller, GraphQLClient>;
  /** A candidate of the voting round the member has not voted for. */
  freshCandidate(): Promise<string>;
  /** A candidate of the voting round the member has voted for. */
  votedCandidate(): Promise<string>;
  proposal(): Promise<string>;
}

type Case = PermissionCase<Fixture, Caller>;

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_EDITOR = { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, member: FORBIDDEN, author: FORBIDDEN };
/** The round's rules let members vote: not outsiders, and not an admin without the member role. */
const NOT_VOTER = { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, admin: FORBIDDEN };

const CASES: Case[] = [
  { operation: 'castVote', query: OPS.castVote, variables: async (f) => ({ roundId: f.roundId, candidateId: await f.freshCandidate() }), refused: NOT_VOTER, allowed: 'member' },
  { operation: 'withdrawVote', query: OPS.withdrawVote, variables: async (f) => ({ roundId: f.roundId, candidateId: await f.votedCandidate() }), refused: NOT_VOTER, allowed: 'member' },
  {
    operation: 'moveVote',
    query: OPS.moveVote,
    variables: async (f) => ({ roundId: f.roundId, from: await f.votedCandidate(), to: await f.freshCandidate() }),
    refused: NOT_VOTER,
    allowed: 'member',
  },
  { operation: 'requestRecount', query: OPS.requestRecount, variables: async (f) => ({ roundId: f.roundId }), refused: NOT_EDITOR, allowed: 'editor' },
  // Outsiders are told the round or the selection does not exist.
  { operation: 'proposeSelection', query: OPS.proposeSelection, variables: async (f) => ({ roundId: f.closedRoundId, input: { size: 2 } }), refused: { ...NOT_EDITOR, outsider: 'NOT_FOUND' }, allowed: 'editor' },
  { operation: 'confirmSelection', query: OPS.confirmSelection, variables: async (f) => ({ id: await f.proposal() }), refused: { ...NOT_EDITOR, outsider: 'NOT_FOUND' }, allowed: 'editor' },
  { operation: 'recounts', query: OPS.recounts, variables: async (f) => ({ roundId: f.roundId }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'myBallot', query: OPS.myBallot, variables: async (f) => ({ roundId: f.roundId }), refused: { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' }, allowed: 'member' },
  { operation: 'leaderboard', query: OPS.leaderboard, variables: async (f) => ({ roundId: f.roundId }), refused: { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' }, allowed: 'member' },
  { operation: 'roundResults', query: OPS.roundResults, variables: async (f) => ({ roundId: f.closedRoundId }), refused: { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' }, allowed: 'member' },
  { operation: 'selections', query: OPS.selections, variables: async (f) => ({ roundId: f.closedRoundId }), refused: { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' }, allowed: 'member' },
];

describe('voting permissions', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ label: 'votepermissions' });
    const project = await t.project();
    const as = async (roles: ProjectRole[]) => t.person(roles, roles.length ? project : undefined);
    const clients: Record<Caller, GraphQLClient> = {
      anonymous: anonymous(t),
      outsider: (await as([])).client,
      member: (await as([ProjectRole.MEMBER])).client,
      author: (await as([ProjectRole.MEMBER, ProjectRole.AUTHOR])).client,
      admin: (await as([ProjectRole.ADMIN])).client,
      editor: (await as([ProjectRole.MEMBER, ProjectRole.EDITOR])).client,
    };
    const round = async (names: string[], votesPerMember: number): Promise<{ id: string; candidates: string[] }> => {
      const { createRound } = await clients.editor.data<{ createRound: { id: string } }>(NOMINATION_OPS.createRound, { projectId: project.id, input: { title: 'Ronde', votesPerMember } });
      await clients.editor.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
      const candidates = await importCandidates(clients.editor, createRound.id, names.map((name) => ({ name })));
      await clients.editor.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'VOTING' });
      return { id: createRound.id, candidates };
    };
    const closed = await round(['Gesloten Een', 'Gesloten Twee', 'Gesloten Drie'], 3);
    await cast(clients.member, closed.id, closed.candidates[1]);
    await clients.editor.data(NOMINATION_OPS.advanceRound, { id: closed.id, to: 'CLOSED' });
    const open = await round(Array.from({ length: 60 }, (_, i) => `Open Kandidaat ${String(i).padStart(2, '0')}`), 1000);
    const unused = [...open.candidates];
    f = {
      roundId: open.id,
      closedRoundId: closed.id,
      clients,
      freshCandidate: async () => unused.shift() as string,
      votedCandidate: async () => {
        const candidateId = unused.shift() as string;
        await cast(clients.member, open.id, candidateId);
        return candidateId;
      },
      proposal: async () => (await clients.editor.data<{ proposeSelection: { id: string } }>(OPS.proposeSelection, { roundId: closed.id, input: { size: 2 } })).proposeSelection.id,
    };
  });
  afterAll(async () => { await t?.close(); });

  describePermissions(() => t, () => f, CASES);

  it('covers every mutation of the voting context', () => {
    const covered = new Set(CASES.map((c) => c.operation));
    const mutations = rootHandlers(t.app)
      .filter((h) => h.type === 'Mutation' && ['BallotsResolver', 'LeaderboardResolver', 'SelectionResolver'].includes(h.resolver))
      .map((h) => h.field);
    expect(mutations).toEqual(expect.arrayContaining(['castVote', 'proposeSelection']));
    expect(mutations.filter((name) => !covered.has(name))).toEqual([]);
  });
});
