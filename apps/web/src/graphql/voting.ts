import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Candidate, ExportFormat, Gender, GovernmentLayer, RoundPhase } from './nominations';

// Ballots, the live leaderboard, results and the selection of N, typed by hand after
// libs/domain/voting/src/voting.model.ts. Dates arrive as ISO strings.

export interface Ballot {
  roundId: string;
  budget: number;
  /** Votes a member must cast before any of them count. */
  minimum: number;
  votesCast: number;
  votesLeft: number;
  /** My votes count: I cast at least the minimum. */
  counting: boolean;
  canVote: boolean;
  votes: { candidateId: string; castAt: string; candidate: Pick<Candidate, 'id' | 'name'> }[];
}

export const MY_BALLOT: TypedDocumentNode<{ myBallot: Ballot }, { roundId: string }> = gql`
  query MyBallot($roundId: ID!) {
    myBallot(roundId: $roundId) {
      roundId
      budget
      minimum
      votesCast
      votesLeft
      counting
      canVote
      votes {
        candidateId
        castAt
        candidate {
          id
          name
        }
      }
    }
  }
`;

/** What a vote change answers; the ballot query is fetched again for the votes themselves. */
type BallotCounts = Pick<Ballot, 'votesCast' | 'votesLeft' | 'counting'>;

export const CAST_VOTE: TypedDocumentNode<{ castVote: BallotCounts }, { roundId: string; candidateId: string }> = gql`
  mutation CastVote($roundId: ID!, $candidateId: ID!) {
    castVote(roundId: $roundId, candidateId: $candidateId) {
      votesCast
      votesLeft
      counting
    }
  }
`;

export const WITHDRAW_VOTE: TypedDocumentNode<{ withdrawVote: BallotCounts }, { roundId: string; candidateId: string }> = gql`
  mutation WithdrawVote($roundId: ID!, $candidateId: ID!) {
    withdrawVote(roundId: $roundId, candidateId: $candidateId) {
      votesCast
      votesLeft
      counting
    }
  }
`;

export const MOVE_VOTE: TypedDocumentNode<{ moveVote: BallotCounts }, { roundId: string; fromCandidateId: string; toCandidateId: string }> = gql`
  mutation MoveVote($roundId: ID!, $fromCandidateId: ID!, $toCandidateId: ID!) {
    moveVote(roundId: $roundId, fromCandidateId: $fromCandidateId, toCandidateId: $toCandidateId) {
      votesCast
      votesLeft
      counting
    }
  }
`;

export interface LeaderboardEntry {
  /** Candidates with equal votes share a rank (1, 2, 2, 4). */
  rank: number;
  /** The rank in the previous update this subscriber received (null in queries and when new). */
  previousRank: number | null;
  votes: number;
  candidateId: string;
  name: string;
}

export interface Leaderboard {
  roundId: string;
  phase: RoundPhase;
  /** Whether I see the counts (the phase shows them, or I am an editor); without them there are no entries. */
  talliesVisible: boolean;
  /** The round's frozen results rather than a live tally. */
  final: boolean;
  revision: number;
  totalVotes: number | null;
  voters: number | null;
  countedVoters: number | null;
  candidateCount: number;
  entries: LeaderboardEntry[];
  updatedAt: string;
}

const LEADERBOARD_FIELDS = gql`
  fragment LeaderboardFields on Leaderboard {
    roundId
    phase
    talliesVisible
    final
    revision
    totalVotes
    voters
    countedVoters
    candidateCount
    updatedAt
    entries {
      rank
      previousRank
      votes
      candidateId
      name
    }
  }
`;

export const LEADERBOARD: TypedDocumentNode<{ leaderboard: Leaderboard }, { roundId: string; first: number }> = gql`
  query Leaderboard($roundId: ID!, $first: Int) {
    leaderboard(roundId: $roundId, first: $first) {
      ...LeaderboardFields
    }
  }
  ${LEADERBOARD_FIELDS}
`;

export const LEADERBOARD_CHANGED: TypedDocumentNode<{ leaderboardChanged: Leaderboard }, { roundId: string; first: number }> = gql`
  subscription LeaderboardChanged($roundId: ID!, $first: Int) {
    leaderboardChanged(roundId: $roundId, first: $first) {
      ...LeaderboardFields
    }
  }
  ${LEADERBOARD_FIELDS}
`;

/** A candidate's facts the results and the selection screen show and the quotas group by. */
export type CandidateFacts = Pick<Candidate, 'id' | 'name' | 'status' | 'governmentLayer' | 'gender' | 'region' | 'periodStart' | 'periodEnd'>;

const CANDIDATE_FACTS = gql`
  fragment CandidateFacts on Candidate {
    id
    name
    status
    governmentLayer
    gender
    region
    periodStart
    periodEnd
  }
`;

export interface RoundResults {
  roundId: string;
  frozenAt: string;
  totalVotes: number;
  voters: number;
  countedVoters: number;
  /** Whether the live tally agreed with the votes when the round closed. */
  liveTallyAgreed: boolean;
  differences: { candidateId: string; live: number; recount: number }[];
  entries: { rank: number; votes: number; candidate: CandidateFacts }[];
}

export const ROUND_RESULTS: TypedDocumentNode<{ roundResults: RoundResults | null }, { roundId: string }> = gql`
  query RoundResults($roundId: ID!) {
    roundResults(roundId: $roundId) {
      roundId
      frozenAt
      totalVotes
      voters
      countedVoters
      liveTallyAgreed
      differences {
        candidateId
        live
        recount
      }
      entries {
        rank
        votes
        candidate {
          ...CandidateFacts
        }
      }
    }
  }
  ${CANDIDATE_FACTS}
`;

/** The live tally set against a count from the votes, asked for by an editor. */
export interface Recount {
  id: string;
  status: 'PENDING' | 'DONE';
  /** Null while pending. */
  agreed: boolean | null;
  totalVotes: number | null;
  /** Vote changes not yet in the live tally when it ran: lag, not disagreement. */
  pendingEvents: number | null;
  createdAt: string;
  finishedAt: string | null;
  differences: { candidateId: string; live: number; recount: number; candidate: Pick<Candidate, 'id' | 'name'> }[];
}

const RECOUNT_FIELDS = gql`
  fragment RecountFields on Recount {
    id
    status
    agreed
    totalVotes
    pendingEvents
    createdAt
    finishedAt
    differences {
      candidateId
      live
      recount
      candidate {
        id
        name
      }
    }
  }
`;

export const RECOUNTS: TypedDocumentNode<{ recounts: Recount[] }, { roundId: string }> = gql`
  query Recounts($roundId: ID!) {
    recounts(roundId: $roundId) {
      ...RecountFields
    }
  }
  ${RECOUNT_FIELDS}
`;

export const REQUEST_RECOUNT: TypedDocumentNode<{ requestRecount: Recount }, { roundId: string }> = gql`
  mutation RequestRecount($roundId: ID!) {
    requestRecount(roundId: $roundId) {
      ...RecountFields
    }
  }
  ${RECOUNT_FIELDS}
`;

export const EXPORT_ROUND_RESULTS: TypedDocumentNode<{ exportRoundResults: string }, { roundId: string; format: ExportFormat }> = gql`
  query ExportRoundResults($roundId: ID!, $format: ExportFormat!) {
    exportRoundResults(roundId: $roundId, format: $format)
  }
`;

export const QUOTA_DIMENSIONS = ['PERIOD', 'GOVERNMENT_LAYER', 'GENDER', 'REGION'] as const;
export type QuotaDimension = (typeof QUOTA_DIMENSIONS)[number];

/** An editors' quota: between min and max of the N come from one group of candidates. */
export interface QuotaInput {
  dimension: QuotaDimension;
  /** The group, for GOVERNMENT_LAYER (a layer), GENDER (a gender) and REGION (a name). */
  value: GovernmentLayer | Gender | string | null;
  /** For PERIOD: the first and last year. */
  from: number | null;
  to: number | null;
  min: number | null;
  max: number | null;
  label: string | null;
}

export interface QuotaOutcome extends Omit<QuotaInput, 'label' | 'min'> {
  label: string;
  min: number;
  /** Candidates of the group that could be selected. */
  available: number;
  /** Selected from the group (null when infeasible). */
  selected: number | null;
  /** The selection sits at the minimum or maximum. */
  atLimit: boolean;
  /** The quota costs votes: without it the selection would have more. */
  binding: boolean;
  costInVotes: number | null;
}

export type SelectionOutcome = 'OPTIMAL' | 'INFEASIBLE';
export type SelectionStatus = 'PROPOSED' | 'CONFIRMED';

export interface SelectionSummary {
  id: string;
  roundId: string;
  size: number;
  seed: string;
  outcome: SelectionOutcome;
  status: SelectionStatus;
  totalVotes: number | null;
  createdAt: string;
  confirmedAt: string | null;
}

export interface Selection extends SelectionSummary {
  quotas: QuotaOutcome[];
  pinned: string[];
  excluded: string[];
  solveSeconds: number;
  entries: { votes: number; drawPosition: number; pinned: boolean; candidate: CandidateFacts }[];
  /** Where the draw decided: candidates with equal votes the selection split, each group in the order of the draw. */
  ties: { votes: number; candidates: { drawPosition: number; selected: boolean; candidate: CandidateFacts }[] }[];
}

const SELECTION_SUMMARY_FIELDS = gql`
  fragment SelectionSummaryFields on Selection {
    id
    roundId
    size
    seed
    outcome
    status
    totalVotes
    createdAt
    confirmedAt
  }
`;

const SELECTION_FIELDS = gql`
  fragment SelectionFields on Selection {
    ...SelectionSummaryFields
    pinned
    excluded
    solveSeconds
    quotas {
      label
      dimension
      value
      from
      to
      min
      max
      available
      selected
      atLimit
      binding
      costInVotes
    }
    entries {
      votes
      drawPosition
      pinned
      candidate {
        ...CandidateFacts
      }
    }
    ties {
      votes
      candidates {
        drawPosition
        selected
        candidate {
          ...CandidateFacts
        }
      }
    }
  }
  ${SELECTION_SUMMARY_FIELDS}
  ${CANDIDATE_FACTS}
`;

export const SELECTIONS: TypedDocumentNode<{ selections: SelectionSummary[] }, { roundId: string }> = gql`
  query Selections($roundId: ID!) {
    selections(roundId: $roundId) {
      ...SelectionSummaryFields
    }
  }
  ${SELECTION_SUMMARY_FIELDS}
`;

export const SELECTION: TypedDocumentNode<{ selection: Selection }, { id: string }> = gql`
  query Selection($id: ID!) {
    selection(id: $id) {
      ...SelectionFields
    }
  }
  ${SELECTION_FIELDS}
`;

/** The book's places for one round's selection. */
export interface SelectionPlaces {
  /** The book's number of portraits (N). */
  portraits: number;
  selectedElsewhere: number;
  /** Candidates other rounds' confirmed selections took: not offered again. */
  selectedElsewhereIds: string[];
  confirmedHere: boolean;
  /** What a new selection of this round may fill. */
  left: number;
}

export const SELECTION_PLACES: TypedDocumentNode<{ round: { id: string; selectionPlaces: SelectionPlaces } }, { id: string }> = gql`
  query SelectionPlaces($id: ID!) {
    round(id: $id) {
      id
      selectionPlaces {
        portraits
        selectedElsewhere
        selectedElsewhereIds
        confirmedHere
        left
      }
    }
  }
`;

export interface SelectionInput {
  size: number | null;
  quotas: QuotaInput[];
  pinned: string[];
  excluded: string[];
  seed: string | null;
}

export const PROPOSE_SELECTION: TypedDocumentNode<{ proposeSelection: Selection }, { roundId: string; input: SelectionInput }> = gql`
  mutation ProposeSelection($roundId: ID!, $input: SelectionInput!) {
    proposeSelection(roundId: $roundId, input: $input) {
      ...SelectionFields
    }
  }
  ${SELECTION_FIELDS}
`;

export const CONFIRM_SELECTION: TypedDocumentNode<{ confirmSelection: SelectionSummary }, { id: string }> = gql`
  mutation ConfirmSelection($id: ID!) {
    confirmSelection(id: $id) {
      ...SelectionSummaryFields
    }
  }
  ${SELECTION_SUMMARY_FIELDS}
`;
