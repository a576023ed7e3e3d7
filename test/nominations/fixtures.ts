import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ProjectRole } from '@quire/core';
import { GraphQLClient, TestApp, waitFor } from '@quire/testing';

const { MEMBER, AUTHOR, EDITOR, ADMIN } = ProjectRole;

export const NOMINATION_OPS = {
  createRound: 'mutation($projectId: ID!, $input: RoundInput!) { createRound(projectId: $projectId, input: $input) { id phase title maxNominationsPerMember } }',
  updateRound: 'mutation($id: ID!, $input: RoundInput!) { updateRound(id: $id, input: $input) { id phase nominatingOpensAt votingOpensAt closesAt } }',
  advanceRound: 'mutation($id: ID!, $to: RoundPhase!) { advanceRound(id: $id, to: $to) { id phase } }',
  round: 'query($id: ID!) { round(id: $id) { id phase myActions myNominationCount rules { NOMINATING { nominate talliesVisible } } } }',
  rounds: 'query($projectId: ID!) { rounds(projectId: $projectId) { id title phase } }',
  nominate: 'mutation($roundId: ID!, $input: NominateInput!) { nominate(roundId: $roundId, input: $input) { id status candidateId motivation sources { kind reference url } nominator { displayName } } }',
  withdrawNomination: 'mutation($id: ID!) { withdrawNomination(id: $id) { id status } }',
  publishNomination: 'mutation($id: ID!) { publishNomination(id: $id) { id status } }',
  nominations: 'query($roundId: ID!, $status: NominationStatus, $first: Int, $after: String) { nominations(roundId: $roundId, status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id status candidateId } } }',
  candidate: 'query($id: ID!) { candidate(id: $id) { id name status mergedIntoId endorsementCount endorsedByMe followedByMe commentCount nominations { id status nominator { id } } comments { id body parentId author { displayName } } merges { id sourceId targetId } } }',
  candidates: 'query($projectId: ID!, $filter: CandidateFilterInput, $sort: CandidateSort, $first: Int, $after: String) { candidates(projectId: $projectId, filter: $filter, sort: $sort, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { endorsementCount nominationCount candidate { id name } } } }',
  similar: 'query($projectId: ID!, $name: String!, $birthYear: Int, $deathYear: Int) { similarCandidates(projectId: $projectId, name: $name, birthYear: $birthYear, deathYear: $deathYear) { score candidate { id name } } }',
  endorse: 'mutation($id: ID!) { endorseCandidate(id: $id) }',
  withdrawEndorsement: 'mutation($id: ID!) { withdrawEndorsement(id: $id) }',
  follow: 'mutation($id: ID!) { followCandidate(id: $id) }',
  unfollow: 'mutation($id: ID!) { unfollowCandidate(id: $id) }',
  comment: 'mutation($candidateId: ID!, $body: String!, $parentId: ID) { addComment(candidateId: $candidateId, body: $body, parentId: $parentId) { id body parentId } }',
  updateCandidate: 'mutation($id: ID!, $input: CandidateInput!) { updateCandidate(id: $id, input: $input) { id name } }',
  setCandidateStatus: 'mutation($id: ID!, $status: CandidateStatus!) { setCandidateStatus(id: $id, status: $status) { id status } }',
  merge: 'mutation($sourceId: ID!, $targetId: ID!) { mergeCandidates(sourceId: $sourceId, targetId: $targetId) { id sourceId targetId } }',
  undoMerge: 'mutation($mergeId: ID!) { undoMerge(mergeId: $mergeId) { id undoneAt } }',
  report: 'mutation($targetType: ReportTarget!, $targetId: ID!, $reason: String!) { report(targetType: $targetType, targetId: $targetId, reason: $reason) }',
  moderate: 'mutation($targetType: ReportTarget!, $targetId: ID!, $decision: ModerationDecision!, $reason: String) { moderate(targetType: $targetType, targetId: $targetId, decision: $decision, reason: $reason) }',
  moderationQueue: 'query($projectId: ID!) { moderationQueue(projectId: $projectId) { targetType targetId status openReports reasons } }',
  block: 'mutation($projectId: ID!, $userId: ID!, $reason: String!) { blockMember(projectId: $projectId, userId: $userId, reason: $reason) }',
  unblock: 'mutation($projectId: ID!, $userId: ID!) { unblockMember(projectId: $projectId, userId: $userId) }',
  importNominations: 'mutation($roundId: ID!, $csv: String!) { importNominations(roundId: $roundId, csv: $csv) { imported candidatesCreated } }',
  exportNominations: 'query($roundId: ID!, $format: ExportFormat!) { exportNominations(roundId: $roundId, format: $format) }',
  notifications: '{ notifications { unreadCount nodes { kind data } } }',
} as const;

export const MOTIVATION = 'Zonder deze ambtenaar was de Grondwet van 1848 er niet gekomen; een portret is verdiend.';

export interface Book {
  projectId: string;
  roundId: string;
  admin: GraphQLClient;
  editor: GraphQLClient;
  author: GraphQLClient;
  members: { client: GraphQLClient; userId: string }[];
  outsider: GraphQLClient;
}

/** A project with one person of each role, three members, and a round open for nominations. */
export async function openBook(t: TestApp, round: Record<string, unknown> = {}): Promise<Book> {
  const project = await t.project();
  const [admin, editor, author, outsider] = await Promise.all([t.person([ADMIN], project), t.person([EDITOR, MEMBER], project), t.person([AUTHOR, MEMBER], project), t.person([])]);
  const members = await Promise.all([1, 2, 3].map(() => t.person([MEMBER], project)));
  const { createRound } = await editor.client.data<{ createRound: { id: string } }>(NOMINATION_OPS.createRound, { projectId: project.id, input: { title: 'Ronde 1', ...round } });
  await editor.client.data(NOMINATION_OPS.advanceRound, { id: createRound.id, to: 'NOMINATING' });
  return {
    projectId: project.id, roundId: createRound.id, admin: admin.client, editor: editor.client, author: author.client, outsider: outsider.client,
    members: members.map((m) => ({ client: m.client, userId: m.user.id })),
  };
}

export async function nominateNew(client: GraphQLClient, roundId: string, name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; candidateId: string }> {
  const { nominate } = await client.data<{ nominate: { id: string; candidateId: string } }>(NOMINATION_OPS.nominate, {
    roundId, input: { candidate: { name, ...extra }, motivation: MOTIVATION, sources: [{ kind: 'URL', reference: 'Parlement.com', url: 'https://www.parlement.com/' }] },
  });
  return nominate;
}

/** A round as the roundChanged subscription pushes it. */
export interface PushedRound {
  phase: string;
  title: string;
  myActions: string[];
}

/** Watches a round over graphql-ws as the client's person: what is pushed, and refusals. */
export function watchRound(t: TestApp, client: GraphQLClient, roundId: string): { pushes: PushedRound[]; errors: { extensions?: Record<string, unknown> }[]; dispose: () => Promise<void> } {
  const pushes: PushedRound[] = [];
  const errors: { extensions?: Record<string, unknown> }[] = [];
  const socket = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${client.token}` }, retryAttempts: 0 });
  socket.subscribe<{ roundChanged: PushedRound }>({ query: 'subscription($id: ID!) { roundChanged(roundId: $id) { phase title myActions } }', variables: { id: roundId } }, {
    next: (message) => {
      if (message.data) pushes.push(message.data.roundChanged);
      errors.push(...(message.errors ?? []));
    },
    error: (error) => errors.push(...(Array.isArray(error) ? error : [{ extensions: { error } }])),
    complete: () => undefined,
  });
  return { pushes, errors, dispose: () => socket.dispose() as Promise<void> };
}

/** Renames the round until every watcher got a push: from then on they are all listening. */
export async function untilListening(editor: GraphQLClient, roundId: string, watchers: { pushes: PushedRound[] }[]): Promise<void> {
  let renamed = 0;
  await waitFor(async () => {
    await editor.data(NOMINATION_OPS.updateRound, { id: roundId, input: { title: `Ronde ${++renamed}` } });
    return watchers.every((w) => w.pushes.length > 0) || undefined;
  }, 'every watcher to listen');
  // Every push of the renames has arrived once each watcher shows the last name.
  await waitFor(() => watchers.every((w) => w.pushes.at(-1)?.title === `Ronde ${renamed}`) || undefined, 'the last rename');
  for (const watcher of watchers) watcher.pushes.length = 0;
}
