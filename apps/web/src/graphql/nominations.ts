import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Connection, ProjectRole } from './operations';

// Nomination rounds, candidates and moderation, typed by hand after
// libs/domain/nominations/src/nominations.model.ts. Dates arrive as ISO strings.

export const ROUND_PHASES = ['DRAFT', 'NOMINATING', 'VOTING', 'CLOSED'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];
export const ROUND_ACTIONS = ['nominate', 'endorse', 'comment', 'vote'] as const;
export type RoundAction = (typeof ROUND_ACTIONS)[number];
export const GOVERNMENT_LAYERS = ['NATIONAL', 'PROVINCIAL', 'MUNICIPAL', 'WATER_BOARD', 'OVERSEAS', 'OTHER'] as const;
export type GovernmentLayer = (typeof GOVERNMENT_LAYERS)[number];
export const GENDERS = ['FEMALE', 'MALE', 'NONBINARY', 'UNKNOWN'] as const;
export type Gender = (typeof GENDERS)[number];
export const CANDIDATE_STATUSES = ['NOMINATED', 'SHORTLISTED', 'SELECTED', 'NOT_SELECTED'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export type NominationStatus = 'SUBMITTED' | 'PUBLISHED' | 'HIDDEN' | 'MERGED' | 'WITHDRAWN';
export const SOURCE_KINDS = ['URL', 'LITERATURE', 'ARCHIVE'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const CANDIDATE_SORTS = ['MOST_ENDORSED', 'MOST_RECENT', 'RANDOM', 'NAME'] as const;
export type CandidateSort = (typeof CANDIDATE_SORTS)[number];
export type ReportTarget = 'NOMINATION' | 'COMMENT';
export type ExportFormat = 'CSV' | 'JSON';

export type PhaseRules = Record<RoundAction, ProjectRole[]> & { talliesVisible: boolean };
export type RoundRules = Record<RoundPhase, PhaseRules>;

/** What editors set for a round. */
export interface RoundSettings {
  title: string;
  description: string;
  nominatingOpensAt: string | null;
  votingOpensAt: string | null;
  closesAt: string | null;
  rules: RoundRules;
  premoderation: boolean;
  maxNominationsPerMember: number;
  motivationMinLength: number;
  motivationMaxLength: number;
  votesPerMember: number;
  minVotesPerMember: number;
}

export interface RoundSummary {
  id: string;
  title: string;
  phase: RoundPhase;
  nominatingOpensAt: string | null;
  votingOpensAt: string | null;
  closesAt: string | null;
}

export interface Round extends RoundSettings, RoundSummary {
  projectId: string;
  phaseChangedAt: string;
  /** What the signed-in person may do in the round's current phase. */
  myActions: RoundAction[];
  myNominationCount: number;
}

const PHASE_RULES_FIELDS = gql`
  fragment PhaseRulesFields on PhaseRules {
    nominate
    endorse
    comment
    vote
    talliesVisible
  }
`;

/** The selection of a round's settings but its title, for a round and for a new round's defaults. */
const ROUND_SETTINGS_SELECTION = `
    description
    nominatingOpensAt
    votingOpensAt
    closesAt
    premoderation
    maxNominationsPerMember
    motivationMinLength
    motivationMaxLength
    votesPerMember
    minVotesPerMember
    rules {
      DRAFT {
        ...PhaseRulesFields
      }
      NOMINATING {
        ...PhaseRulesFields
      }
      VOTING {
        ...PhaseRulesFields
      }
      CLOSED {
        ...PhaseRulesFields
      }
    }
`;

const ROUND_FIELDS = gql`
  fragment RoundFields on Round {
    id
    projectId
    title
    phase
    phaseChangedAt
    myActions
    myNominationCount
    ${ROUND_SETTINGS_SELECTION}
  }
  ${PHASE_RULES_FIELDS}
`;

/** What a new round starts with where its editor sets nothing. */
export const ROUND_DEFAULTS: TypedDocumentNode<{ roundDefaults: Omit<RoundSettings, 'title'> }, Record<string, never>> = gql`
  query RoundDefaults {
    roundDefaults {
      ${ROUND_SETTINGS_SELECTION}
    }
  }
  ${PHASE_RULES_FIELDS}
`;

export const ROUNDS: TypedDocumentNode<{ rounds: RoundSummary[] }, { projectId: string }> = gql`
  query Rounds($projectId: ID!) {
    rounds(projectId: $projectId) {
      id
      title
      phase
      nominatingOpensAt
      votingOpensAt
      closesAt
    }
  }
`;

export const ROUND: TypedDocumentNode<{ round: Round }, { id: string }> = gql`
  query Round($id: ID!) {
    round(id: $id) {
      ...RoundFields
    }
  }
  ${ROUND_FIELDS}
`;

/** Keeps an open round screen current when its phase or settings change elsewhere (an editor, the schedule). */
export const ROUND_CHANGED: TypedDocumentNode<{ roundChanged: Round }, { roundId: string }> = gql`
  subscription RoundChanged($roundId: ID!) {
    roundChanged(roundId: $roundId) {
      ...RoundFields
    }
  }
  ${ROUND_FIELDS}
`;

export const CREATE_ROUND: TypedDocumentNode<{ createRound: Round }, { projectId: string; input: Partial<RoundSettings> }> = gql`
  mutation CreateRound($projectId: ID!, $input: RoundInput!) {
    createRound(projectId: $projectId, input: $input) {
      ...RoundFields
    }
  }
  ${ROUND_FIELDS}
`;

export const UPDATE_ROUND: TypedDocumentNode<{ updateRound: Round }, { id: string; input: Partial<RoundSettings> }> = gql`
  mutation UpdateRound($id: ID!, $input: RoundInput!) {
    updateRound(id: $id, input: $input) {
      ...RoundFields
    }
  }
  ${ROUND_FIELDS}
`;

export const ADVANCE_ROUND: TypedDocumentNode<{ advanceRound: Round }, { id: string; to: RoundPhase }> = gql`
  mutation AdvanceRound($id: ID!, $to: RoundPhase!) {
    advanceRound(id: $id, to: $to) {
      ...RoundFields
    }
  }
  ${ROUND_FIELDS}
`;

/** What a member says about the person they nominate (and editors correct). */
export interface CandidateDetails {
  name: string;
  nameVariants: string[];
  birthYear: number | null;
  deathYear: number | null;
  offices: string[];
  organisation: string;
  governmentLayer: GovernmentLayer;
  periodStart: number | null;
  periodEnd: number | null;
  gender: Gender;
  region: string;
  wikidataId: string | null;
  bio: string;
}

export interface Candidate extends CandidateDetails {
  id: string;
  projectId: string;
  status: CandidateStatus;
  mergedIntoId: string | null;
  createdAt: string;
}

const CANDIDATE_FIELDS = gql`
  fragment CandidateFields on Candidate {
    id
    projectId
    name
    nameVariants
    birthYear
    deathYear
    offices
    organisation
    governmentLayer
    periodStart
    periodEnd
    gender
    region
    wikidataId
    bio
    status
    mergedIntoId
    createdAt
  }
`;

export interface CandidateListEntry {
  candidate: Candidate;
  endorsementCount: number;
  nominationCount: number;
}

export interface CandidateFilter {
  roundId?: string | null;
  periodFrom?: number | null;
  periodTo?: number | null;
  governmentLayer?: GovernmentLayer | null;
  gender?: Gender | null;
  status?: CandidateStatus | null;
  text?: string | null;
}

export const CANDIDATES: TypedDocumentNode<
  { candidates: Connection<CandidateListEntry> },
  { projectId: string; filter?: CandidateFilter; sort?: CandidateSort; first: number; after?: string | null }
> = gql`
  query Candidates($projectId: ID!, $filter: CandidateFilterInput, $sort: CandidateSort, $first: Int!, $after: String) {
    candidates(projectId: $projectId, filter: $filter, sort: $sort, first: $first, after: $after) {
      nodes {
        endorsementCount
        nominationCount
        candidate {
          ...CandidateFields
        }
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${CANDIDATE_FIELDS}
`;

export interface SimilarCandidate {
  score: number;
  candidate: Candidate;
}

export const SIMILAR_CANDIDATES: TypedDocumentNode<
  { similarCandidates: SimilarCandidate[] },
  { projectId: string; name: string; birthYear: number | null; deathYear: number | null }
> = gql`
  query SimilarCandidates($projectId: ID!, $name: String!, $birthYear: Int, $deathYear: Int) {
    similarCandidates(projectId: $projectId, name: $name, birthYear: $birthYear, deathYear: $deathYear) {
      score
      candidate {
        ...CandidateFields
      }
    }
  }
  ${CANDIDATE_FIELDS}
`;

export interface Person {
  id: string;
  displayName: string;
}

export interface NominationSource {
  kind: SourceKind;
  reference: string;
  url: string | null;
}

export interface Nomination {
  id: string;
  roundId: string;
  candidateId: string;
  motivation: string;
  status: NominationStatus;
  hiddenReason: string | null;
  createdAt: string;
  nominator: Person;
  sources: NominationSource[];
}

const NOMINATION_FIELDS = gql`
  fragment NominationFields on Nomination {
    id
    roundId
    candidateId
    motivation
    status
    hiddenReason
    createdAt
    nominator {
      id
      displayName
    }
    sources {
      kind
      reference
      url
    }
  }
`;

export interface Comment {
  id: string;
  parentId: string | null;
  body: string;
  status: string;
  createdAt: string;
  author: Person;
}

export interface CandidateMerge {
  id: string;
  sourceId: string;
  targetId: string;
  createdAt: string;
  source: { id: string; name: string };
}

export interface CandidateProfile extends Candidate {
  endorsementCount: number;
  endorsedByMe: boolean;
  followedByMe: boolean;
  commentCount: number;
  nominations: Nomination[];
  comments: Comment[];
  merges: CandidateMerge[];
}

export const CANDIDATE: TypedDocumentNode<{ candidate: CandidateProfile }, { id: string }> = gql`
  query Candidate($id: ID!) {
    candidate(id: $id) {
      ...CandidateFields
      endorsementCount
      endorsedByMe
      followedByMe
      commentCount
      nominations {
        ...NominationFields
      }
      comments {
        id
        parentId
        body
        status
        createdAt
        author {
          id
          displayName
        }
      }
      merges {
        id
        sourceId
        targetId
        createdAt
        source {
          id
          name
        }
      }
    }
  }
  ${CANDIDATE_FIELDS}
  ${NOMINATION_FIELDS}
`;

export interface SourceInput {
  kind: SourceKind;
  reference: string;
  url: string | null;
}

export const NOMINATE: TypedDocumentNode<
  { nominate: { id: string; candidateId: string; status: NominationStatus } },
  { roundId: string; input: { candidateId?: string; candidate?: CandidateDetails; motivation: string; sources: SourceInput[] } }
> = gql`
  mutation Nominate($roundId: ID!, $input: NominateInput!) {
    nominate(roundId: $roundId, input: $input) {
      id
      candidateId
      status
    }
  }
`;

export const WITHDRAW_NOMINATION: TypedDocumentNode<{ withdrawNomination: { id: string; status: NominationStatus } }, { id: string }> = gql`
  mutation WithdrawNomination($id: ID!) {
    withdrawNomination(id: $id) {
      id
      status
    }
  }
`;

export const PUBLISH_NOMINATION: TypedDocumentNode<{ publishNomination: { id: string; status: NominationStatus } }, { id: string }> = gql`
  mutation PublishNomination($id: ID!) {
    publishNomination(id: $id) {
      id
      status
    }
  }
`;

export interface NominationWithCandidate extends Nomination {
  candidate: { id: string; name: string };
}

export const NOMINATIONS: TypedDocumentNode<
  { nominations: Connection<NominationWithCandidate> },
  { roundId: string; status?: NominationStatus | null; first: number; after?: string | null }
> = gql`
  query Nominations($roundId: ID!, $status: NominationStatus, $first: Int!, $after: String) {
    nominations(roundId: $roundId, status: $status, first: $first, after: $after) {
      nodes {
        ...NominationFields
        candidate {
          id
          name
        }
      }
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${NOMINATION_FIELDS}
`;

type CandidateIdVariables = { id: string };

export const ENDORSE_CANDIDATE: TypedDocumentNode<{ endorseCandidate: boolean }, CandidateIdVariables> = gql`
  mutation EndorseCandidate($id: ID!) {
    endorseCandidate(id: $id)
  }
`;

export const WITHDRAW_ENDORSEMENT: TypedDocumentNode<{ withdrawEndorsement: boolean }, CandidateIdVariables> = gql`
  mutation WithdrawEndorsement($id: ID!) {
    withdrawEndorsement(id: $id)
  }
`;

export const FOLLOW_CANDIDATE: TypedDocumentNode<{ followCandidate: boolean }, CandidateIdVariables> = gql`
  mutation FollowCandidate($id: ID!) {
    followCandidate(id: $id)
  }
`;

export const UNFOLLOW_CANDIDATE: TypedDocumentNode<{ unfollowCandidate: boolean }, CandidateIdVariables> = gql`
  mutation UnfollowCandidate($id: ID!) {
    unfollowCandidate(id: $id)
  }
`;

export const ADD_COMMENT: TypedDocumentNode<{ addComment: { id: string } }, { candidateId: string; body: string; parentId?: string | null }> = gql`
  mutation AddComment($candidateId: ID!, $body: String!, $parentId: ID) {
    addComment(candidateId: $candidateId, body: $body, parentId: $parentId) {
      id
    }
  }
`;

export const UPDATE_CANDIDATE: TypedDocumentNode<{ updateCandidate: Candidate }, { id: string; input: CandidateDetails }> = gql`
  mutation UpdateCandidate($id: ID!, $input: CandidateInput!) {
    updateCandidate(id: $id, input: $input) {
      ...CandidateFields
    }
  }
  ${CANDIDATE_FIELDS}
`;

export const SET_CANDIDATE_STATUS: TypedDocumentNode<{ setCandidateStatus: Candidate }, { id: string; status: CandidateStatus }> = gql`
  mutation SetCandidateStatus($id: ID!, $status: CandidateStatus!) {
    setCandidateStatus(id: $id, status: $status) {
      ...CandidateFields
    }
  }
  ${CANDIDATE_FIELDS}
`;

export const MERGE_CANDIDATES: TypedDocumentNode<{ mergeCandidates: { id: string; targetId: string } }, { sourceId: string; targetId: string }> = gql`
  mutation MergeCandidates($sourceId: ID!, $targetId: ID!) {
    mergeCandidates(sourceId: $sourceId, targetId: $targetId) {
      id
      targetId
    }
  }
`;

export const UNDO_MERGE: TypedDocumentNode<{ undoMerge: { id: string; sourceId: string } }, { mergeId: string }> = gql`
  mutation UndoMerge($mergeId: ID!) {
    undoMerge(mergeId: $mergeId) {
      id
      sourceId
    }
  }
`;

export const REPORT: TypedDocumentNode<{ report: boolean }, { targetType: ReportTarget; targetId: string; reason: string }> = gql`
  mutation Report($targetType: ReportTarget!, $targetId: ID!, $reason: String!) {
    report(targetType: $targetType, targetId: $targetId, reason: $reason)
  }
`;

export interface ModerationItem {
  targetType: ReportTarget;
  targetId: string;
  status: string;
  text: string;
  openReports: number;
  reasons: string[];
  author: Person;
  candidate: { id: string; name: string };
}

export const MODERATION_QUEUE: TypedDocumentNode<{ moderationQueue: ModerationItem[] }, { projectId: string }> = gql`
  query ModerationQueue($projectId: ID!) {
    moderationQueue(projectId: $projectId) {
      targetType
      targetId
      status
      text
      openReports
      reasons
      author {
        id
        displayName
      }
      candidate {
        id
        name
      }
    }
  }
`;

export const MODERATE: TypedDocumentNode<
  { moderate: boolean },
  { targetType: ReportTarget; targetId: string; decision: 'HIDE' | 'KEEP'; reason?: string | null }
> = gql`
  mutation Moderate($targetType: ReportTarget!, $targetId: ID!, $decision: ModerationDecision!, $reason: String) {
    moderate(targetType: $targetType, targetId: $targetId, decision: $decision, reason: $reason)
  }
`;

export interface BlockedMember {
  userId: string;
  reason: string;
  createdAt: string;
  member: Person;
}

export const BLOCKED_MEMBERS: TypedDocumentNode<{ blockedMembers: BlockedMember[] }, { projectId: string }> = gql`
  query BlockedMembers($projectId: ID!) {
    blockedMembers(projectId: $projectId) {
      userId
      reason
      createdAt
      member {
        id
        displayName
      }
    }
  }
`;

export const BLOCK_MEMBER: TypedDocumentNode<{ blockMember: boolean }, { projectId: string; userId: string; reason: string }> = gql`
  mutation BlockMember($projectId: ID!, $userId: ID!, $reason: String!) {
    blockMember(projectId: $projectId, userId: $userId, reason: $reason)
  }
`;

export const UNBLOCK_MEMBER: TypedDocumentNode<{ unblockMember: boolean }, { projectId: string; userId: string }> = gql`
  mutation UnblockMember($projectId: ID!, $userId: ID!) {
    unblockMember(projectId: $projectId, userId: $userId)
  }
`;

export const IMPORT_NOMINATIONS: TypedDocumentNode<{ importNominations: { imported: number; candidatesCreated: number } }, { roundId: string; csv: string }> = gql`
  mutation ImportNominations($roundId: ID!, $csv: String!) {
    importNominations(roundId: $roundId, csv: $csv) {
      imported
      candidatesCreated
    }
  }
`;

export const EXPORT_NOMINATIONS: TypedDocumentNode<{ exportNominations: string }, { roundId: string; format: ExportFormat }> = gql`
  query ExportNominations($roundId: ID!, $format: ExportFormat!) {
    exportNominations(roundId: $roundId, format: $format)
  }
`;
