import { Actor, ALL_PROJECT_ROLES, DomainError, ErrorCode, ProjectRole } from '@quire/core';
import { checkPhaseAllows, Round } from '@quire/domain/nominations';

/**
 * Who may vote: the checks of a vote, a withdrawal or a move, for the api's answers (checkVoter)
 * and, the same rules, in the database (vote_voters, migrations 1765300000000 and 1765500000000), which casts votes
 * without asking the api again. A test holds the two to agreement.
 */

export interface VoterRow {
  project_id: string | null;
  phase: Round['phase'];
  rules: Round['rules'];
  votes_per_member: number;
  min_votes_per_member: number;
  roles: ProjectRole[] | null;
  blocked: boolean;
  candidate_id: string | null;
  nominated: boolean;
  /** The database's verdict on the same checks as checkVoter (they must agree). */
  may_vote: boolean;
}

/**
 * The checks of a batch of (round, voter, candidate) requests, in order, as the database function
 * vote_voters (migration 1765300000000, inlined since 1765500000000) reads them: the round, the voter's roles and block, and the
 * candidate (followed through merges). It takes no lock, so what it reads may change before a
 * change is written unless the caller holds the round's voting lock (withdrawing and moving take it
 * first; cast_votes checks after taking it).
 */
export const VOTERS = `SELECT * FROM vote_voters($1::uuid[], $2::uuid[], $3::boolean[], $4::uuid[], $5::text[]) ORDER BY n`;

/** The parameters of VOTERS and CAST (in ballots.service) that describe the requests. */
export function requestParameters(requests: readonly { actor: Actor; roundId: string; candidateId: string | null }[]): unknown[] {
  return [
    requests.map((r) => r.roundId), requests.map((r) => (r.actor.kind === 'user' ? r.actor.userId : null)),
    requests.map((r) => r.actor.kind === 'user' && r.actor.installationAdmin), requests.map((r) => r.candidateId), ALL_PROJECT_ROLES,
  ];
}

/** The checks of one request, from its row of VOTERS (or CAST); throws why not. A request without a candidate (a withdrawal) is not checked for one. */
export function checkVoter(actor: Actor, roundId: string, candidateId: string | null, row: VoterRow): { round: Round; votable: string } {
  if (actor.kind !== 'user') throw DomainError.unauthenticated();
  if (!row.project_id) throw DomainError.notFound('Round', roundId);
  const round = Object.assign(new Round(), {
    id: roundId, projectId: row.project_id, phase: row.phase, rules: row.rules, votesPerMember: row.votes_per_member, minVotesPerMember: row.min_votes_per_member,
  });
  const roles = row.roles ?? [];
  if (!roles.length) throw DomainError.forbidden(`This needs the role ${ALL_PROJECT_ROLES.join(' or ')} in this project`);
  if (row.blocked) throw new DomainError(ErrorCode.BLOCKED, 'A moderator has blocked you from taking part in this project');
  checkPhaseAllows(round, 'vote', roles);
  if (candidateId === null) return { round, votable: '' };
  if (!row.candidate_id) throw DomainError.notFound('Candidate', candidateId);
  if (!row.nominated) throw DomainError.badInput([{ field: 'candidateId', message: 'This candidate has no published nomination in this round' }]);
  return { round, votable: row.candidate_id };
}

/** checkVoter's answer, with its refusal as a value. */
export function checkedVoter(actor: Actor, roundId: string, candidateId: string | null, row: VoterRow): { round: Round; votable: string } | DomainError {
  try {
    return checkVoter(actor, roundId, candidateId, row);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

