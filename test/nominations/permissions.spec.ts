import { ProjectRole } from '@quire/core';
import { describePermissions, GraphQLClient, PermissionCase, rootHandlers, startTestApp, TestApp } from '@quire/testing';
import { anonymous } from '../api/helpers';
import { MOTIVATION, nominateNew, NOMINATION_OPS as OPS } from './fixtures';

/**
 * Every mutation of the nominations and notifications contexts (and their non-public queries),
 * called by every kind of caller that must be refused: the code says why and no table changes.
 * The lowest role that may call it then succeeds, so a refusal is never a broken query in disguise.
 */
type Caller = 'anonymous' | 'outsider' | 'member' | 'author' | 'editor';

interface Fixture {
  projectId: string;
  roundId: string;
  premoderatedRoundId: string;
  clients: Record<Caller, GraphQLClient>;
  /** A new MEMBER of the project, for blocking. */
  newMember(): Promise<{ userId: string }>;
  /** A new candidate with a published nomination by `by` (default: a second member). */
  candidate(by?: GraphQLClient): Promise<{ id: string; candidateId: string }>;
  draftRound(): Promise<string>;
}

type Case = PermissionCase<Fixture, Caller>;

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_EDITOR = { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, member: FORBIDDEN, author: FORBIDDEN };
/** Outsiders are told a candidate does not exist, so nothing of another project leaks. */
const NOT_PARTICIPANT = { anonymous: UNAUTHENTICATED, outsider: 'NOT_FOUND' };

const CASES: Case[] = [
  { operation: 'createRound', query: OPS.createRound, variables: async (f) => ({ projectId: f.projectId, input: { title: 'Ronde' } }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'updateRound', query: OPS.updateRound, variables: async (f) => ({ id: await f.draftRound(), input: { title: 'Nieuw' } }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'advanceRound', query: OPS.advanceRound, variables: async (f) => ({ id: await f.draftRound(), to: 'NOMINATING' }), refused: NOT_EDITOR, allowed: 'editor' },
  {
    operation: 'nominate',
    query: OPS.nominate,
    variables: async (f) => ({ roundId: f.roundId, input: { candidate: { name: `Persoon ${Math.random().toString(36).slice(2, 8)}` }, motivation: MOTIVATION, sources: [] } }),
    refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN },
    allowed: 'member',
  },
  {
    operation: 'withdrawNomination',
    query: OPS.withdrawNomination,
    variables: async (f) => ({ id: (await f.candidate(f.clients.member)).id }),
    // Only the nominator: not another member, not even an editor.
    refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN, author: FORBIDDEN, editor: FORBIDDEN },
    allowed: 'member',
  },
  {
    operation: 'publishNomination',
    query: OPS.publishNomination,
    variables: async (f) => {
      const { nominate } = await f.clients.member.data<{ nominate: { id: string } }>(OPS.nominate, {
        roundId: f.premoderatedRoundId, input: { candidate: { name: `Voorgelegd ${Math.random().toString(36).slice(2, 8)}` }, motivation: MOTIVATION, sources: [] },
      });
      return { id: nominate.id };
    },
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  { operation: 'updateCandidate', query: OPS.updateCandidate, variables: async (f) => ({ id: (await f.candidate()).candidateId, input: { name: 'Beter gespeld' } }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'setCandidateStatus', query: OPS.setCandidateStatus, variables: async (f) => ({ id: (await f.candidate()).candidateId, status: 'SHORTLISTED' }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'endorseCandidate', query: OPS.endorse, variables: async (f) => ({ id: (await f.candidate()).candidateId }), refused: NOT_PARTICIPANT, allowed: 'member' },
  {
    operation: 'withdrawEndorsement',
    query: OPS.withdrawEndorsement,
    variables: async (f) => {
      const { candidateId } = await f.candidate();
      await f.clients.member.data(OPS.endorse, { id: candidateId });
      return { id: candidateId };
    },
    refused: NOT_PARTICIPANT,
    allowed: 'member',
  },
  { operation: 'followCandidate', query: OPS.follow, variables: async (f) => ({ id: (await f.candidate()).candidateId }), refused: NOT_PARTICIPANT, allowed: 'member' },
  { operation: 'unfollowCandidate', query: OPS.unfollow, variables: async (f) => ({ id: (await f.candidate()).candidateId }), refused: NOT_PARTICIPANT, allowed: 'member' },
  { operation: 'addComment', query: OPS.comment, variables: async (f) => ({ candidateId: (await f.candidate()).candidateId, body: 'Mooi voorstel.' }), refused: NOT_PARTICIPANT, allowed: 'member' },
  {
    operation: 'mergeCandidates',
    query: OPS.merge,
    variables: async (f) => ({ sourceId: (await f.candidate()).candidateId, targetId: (await f.candidate()).candidateId }),
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  {
    operation: 'undoMerge',
    query: OPS.undoMerge,
    variables: async (f) => {
      const { mergeCandidates } = await f.clients.editor.data<{ mergeCandidates: { id: string } }>(OPS.merge, { sourceId: (await f.candidate()).candidateId, targetId: (await f.candidate()).candidateId });
      return { mergeId: mergeCandidates.id };
    },
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  { operation: 'report', query: OPS.report, variables: async (f) => ({ targetType: 'NOMINATION', targetId: (await f.candidate()).id, reason: 'Onjuist' }), refused: NOT_PARTICIPANT, allowed: 'member' },
  { operation: 'moderate', query: OPS.moderate, variables: async (f) => ({ targetType: 'NOMINATION', targetId: (await f.candidate()).id, decision: 'HIDE' }), refused: NOT_EDITOR, allowed: 'editor' },
  {
    operation: 'blockMember',
    query: OPS.block,
    variables: async (f) => ({ projectId: f.projectId, userId: (await f.newMember()).userId, reason: 'Trollen' }),
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  {
    operation: 'unblockMember',
    query: OPS.unblock,
    variables: async (f) => {
      const { userId } = await f.newMember();
      await f.clients.editor.data(OPS.block, { projectId: f.projectId, userId, reason: 'Trollen' });
      return { projectId: f.projectId, userId };
    },
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  {
    operation: 'importNominations',
    query: OPS.importNominations,
    variables: async (f) => ({ roundId: f.roundId, csv: `name,motivation\nPersoon ${Math.random().toString(36).slice(2, 8)},"${MOTIVATION}"` }),
    refused: NOT_EDITOR,
    allowed: 'editor',
  },
  { operation: 'markNotificationsRead', query: 'mutation { markNotificationsRead }', variables: async () => ({}), refused: { anonymous: UNAUTHENTICATED }, allowed: 'member' },
  { operation: 'moderationQueue', query: OPS.moderationQueue, variables: async (f) => ({ projectId: f.projectId }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'blockedMembers', query: 'query($projectId: ID!) { blockedMembers(projectId: $projectId) { userId } }', variables: async (f) => ({ projectId: f.projectId }), refused: NOT_EDITOR, allowed: 'editor' },
  { operation: 'rounds', query: OPS.rounds, variables: async (f) => ({ projectId: f.projectId }), refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN }, allowed: 'member' },
  { operation: 'candidates', query: OPS.candidates, variables: async (f) => ({ projectId: f.projectId }), refused: { anonymous: UNAUTHENTICATED, outsider: FORBIDDEN }, allowed: 'member' },
];

describe('nominations permissions', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ label: 'nompermissions' });
    const project = await t.project();
    const as = async (roles: ProjectRole[]) => t.person(roles, roles.length ? project : undefined);
    const member = await as([ProjectRole.MEMBER]);
    const clients: Record<Caller, GraphQLClient> = {
      anonymous: anonymous(t),
      outsider: (await as([])).client,
      member: member.client,
      author: (await as([ProjectRole.MEMBER, ProjectRole.AUTHOR])).client,
      editor: (await as([ProjectRole.MEMBER, ProjectRole.EDITOR])).client,
    };
    const nominator = (await as([ProjectRole.MEMBER])).client;
    const openRound = async (input: Record<string, unknown>): Promise<string> => {
      const { createRound } = await clients.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: project.id, input: { title: 'Ronde', maxNominationsPerMember: 1000, ...input } });
      await clients.editor.data(OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
      return createRound.id;
    };
    const roundId = await openRound({});
    f = {
      projectId: project.id,
      roundId,
      premoderatedRoundId: await openRound({ premoderation: true }),
      clients,
      candidate: (by = nominator) => nominateNew(by, roundId, `Kandidaat ${Math.random().toString(36).slice(2, 8)}`),
      draftRound: async () => (await clients.editor.data<{ createRound: { id: string } }>(OPS.createRound, { projectId: project.id, input: { title: 'Concept' } })).createRound.id,
      newMember: async () => ({ userId: (await as([ProjectRole.MEMBER])).user.id }),
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  describePermissions(() => t, () => f, CASES);

  it('covers every mutation of the nominations and notifications contexts', () => {
    const covered = new Set(CASES.map((c) => c.operation));
    const mutations = rootHandlers(t.app)
      .filter((h) => h.type === 'Mutation' && ['RoundsResolver', 'CandidatesResolver', 'NominationsResolver', 'NotificationsResolver'].includes(h.resolver))
      .map((h) => h.field);
    expect(mutations).toEqual(expect.arrayContaining(['nominate', 'mergeCandidates']));
    expect(mutations.filter((name) => !covered.has(name))).toEqual([]);
  });
});
