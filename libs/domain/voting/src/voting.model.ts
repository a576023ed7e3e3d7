import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { CandidateModel } from '@quire/domain/nominations';
import { QUOTA_DIMENSIONS, QuotaDimension, QuotaOutcome, Recount, RecountStatus, Selection, SelectionOutcome, SelectionStatus, TallyDifference } from './entities';
import { BallotView } from './ballots.service';
import { MAX_QUOTAS, MAX_SELECTION_SIZE, SelectionPlaces } from './selection/selection.service';

const enumOf = <T extends string>(values: readonly T[]): Record<T, T> => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const QuotaDimensionEnum = enumOf(QUOTA_DIMENSIONS);
export const SelectionOutcomeEnum = enumOf<SelectionOutcome>(['OPTIMAL', 'INFEASIBLE']);
export const SelectionStatusEnum = enumOf<SelectionStatus>(['PROPOSED', 'CONFIRMED']);
export const RecountStatusEnum = enumOf<RecountStatus>(['PENDING', 'DONE']);

registerEnumType(QuotaDimensionEnum, { name: 'QuotaDimension', description: 'What a quota groups candidates by' });
registerEnumType(SelectionOutcomeEnum, { name: 'SelectionOutcome', description: 'OPTIMAL: proven best; INFEASIBLE: no selection meets the quotas, pins and exclusions' });
registerEnumType(SelectionStatusEnum, { name: 'SelectionStatus' });
registerEnumType(RecountStatusEnum, { name: 'RecountStatus' });

@ObjectType('BallotVote', { description: 'One of my votes' })
export class BallotVoteModel {
  @Field(() => ID) candidateId!: string;
  @Field() castAt!: Date;
}

@ObjectType('Ballot', { description: "My votes in a round: the budget, what is cast, and whether they count yet" })
export class BallotModel {
  @Field(() => ID) roundId!: string;
  @Field(() => Int, { description: 'Votes per member in this round' }) budget!: number;
  @Field(() => Int, { description: 'Votes a member must cast before any of them count' }) minimum!: number;
  @Field(() => Int) votesCast!: number;
  @Field(() => Int) votesLeft!: number;
  @Field({ description: 'My votes count: I cast at least the minimum' }) counting!: boolean;
  @Field({ nullable: true, description: 'Whether I may vote now (the round is voting and my role may); only on myBallot' }) canVote?: boolean;
  @Field(() => [BallotVoteModel], { nullable: true, description: 'My votes, oldest first; only on myBallot' }) votes?: BallotVoteModel[];

  static from(b: Omit<BallotView, 'votes' | 'canVote'> & Partial<Pick<BallotView, 'votes' | 'canVote'>>): BallotModel {
    return Object.assign(new BallotModel(), {
      roundId: b.roundId, budget: b.budget, minimum: b.minimum, votesCast: b.votesCast, votesLeft: b.budget - b.votesCast,
      counting: b.votesCast >= b.minimum && b.votesCast > 0, canVote: b.canVote, votes: b.votes,
    });
  }
}

@ObjectType('LeaderboardEntry')
export class LeaderboardEntryModel {
  @Field(() => Int, { description: 'Candidates with equal votes share a rank (1, 2, 2, 4)' }) rank!: number;
  @Field(() => Int, { nullable: true, description: 'The rank in the previous update this subscriber received (null in queries and when new)' }) previousRank!: number | null;
  @Field(() => Int) votes!: number;
  @Field(() => ID) candidateId!: string;
  @Field({ description: "The candidate's name (also on `candidate`, which costs a lookup)" }) name!: string;
}

@ObjectType('Leaderboard', { description: "A round's standings: live while voting, the frozen results once closed" })
export class LeaderboardModel {
  @Field(() => ID) roundId!: string;
  @Field(() => String) phase!: string;
  @Field({ description: 'Whether I see the counts (the phase shows them, or I am an editor); when false there are no entries' }) talliesVisible!: boolean;
  @Field({ description: "The round's frozen results rather than a live tally" }) final!: boolean;
  @Field(() => Int, { description: 'Goes up with every published change; subscribers get them in order' }) revision!: number;
  @Field(() => Int, { nullable: true }) totalVotes!: number | null;
  @Field(() => Int, { nullable: true, description: 'Members who voted' }) voters!: number | null;
  @Field(() => Int, { nullable: true, description: 'Members whose votes count (they reached the minimum)' }) countedVoters!: number | null;
  @Field(() => Int, { description: 'Candidates on the leaderboard (entries holds the first of them)' }) candidateCount!: number;
  @Field(() => [LeaderboardEntryModel]) entries!: LeaderboardEntryModel[];
  @Field() updatedAt!: Date;
}

@ObjectType('TallyDifference', { description: 'A candidate whose live tally differs from the recount of the votes' })
export class TallyDifferenceModel {
  @Field(() => ID) candidateId!: string;
  @Field(() => Int) live!: number;
  @Field(() => Int) recount!: number;
}

@ObjectType('Recount', { description: 'The live tally compared with a count from the votes' })
export class RecountModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) roundId!: string;
  @Field(() => RecountStatusEnum) status!: RecountStatus;
  @Field(() => Boolean, { nullable: true, description: 'Whether they agree (null while pending)' }) agreed!: boolean | null;
  @Field(() => Int, { nullable: true }) totalVotes!: number | null;
  @Field(() => Int, { nullable: true, description: 'Vote changes not yet in the live tally when it ran (lag, not disagreement)' }) pendingEvents!: number | null;
  @Field(() => [TallyDifferenceModel]) differences!: TallyDifference[];
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;

  static from(r: Recount): RecountModel {
    return Object.assign(new RecountModel(), {
      id: r.id, roundId: r.roundId, status: r.status, agreed: r.agreed, totalVotes: r.totalVotes, pendingEvents: r.pendingEvents, differences: r.differences,
      createdAt: r.createdAt, finishedAt: r.finishedAt,
    });
  }
}

@ObjectType('RoundResultEntry')
export class RoundResultEntryModel {
  @Field(() => Int) rank!: number;
  @Field(() => Int) votes!: number;
  @Field(() => CandidateModel) candidate!: CandidateModel;
}

@ObjectType('RoundResults', { description: "A closed round's results, counted from the votes when it closed" })
export class RoundResultsModel {
  @Field(() => ID) roundId!: string;
  @Field() frozenAt!: Date;
  @Field(() => Int) totalVotes!: number;
  @Field(() => Int) voters!: number;
  @Field(() => Int) countedVoters!: number;
  @Field({ description: 'Whether the live tally agreed with the votes when the round closed' }) liveTallyAgreed!: boolean;
  @Field(() => [TallyDifferenceModel]) differences!: TallyDifference[];
  @Field(() => [RoundResultEntryModel]) entries!: RoundResultEntryModel[];
}

@ObjectType('Quota')
export class QuotaModel {
  @Field() label!: string;
  @Field(() => QuotaDimensionEnum) dimension!: QuotaDimension;
  @Field(() => String, { nullable: true }) value!: string | null;
  @Field(() => Int, { nullable: true }) from!: number | null;
  @Field(() => Int, { nullable: true }) to!: number | null;
  @Field(() => Int) min!: number;
  @Field(() => Int, { nullable: true }) max!: number | null;
}

@ObjectType('QuotaOutcome', { description: 'How a quota came out in a proposal' })
export class QuotaOutcomeModel extends QuotaModel {
  @Field(() => Int, { description: 'Candidates of the group that could be selected' }) available!: number;
  @Field(() => Int, { nullable: true, description: 'Selected from the group (null when infeasible)' }) selected!: number | null;
  @Field({ description: 'The selection sits at the minimum or maximum' }) atLimit!: boolean;
  @Field({ description: 'The quota costs votes: without it the selection would have more' }) binding!: boolean;
  @Field(() => Int, { nullable: true, description: 'Votes the selection would gain without this quota' }) costInVotes!: number | null;

  static from(q: QuotaOutcome): QuotaOutcomeModel {
    return Object.assign(new QuotaOutcomeModel(), q, { binding: (q.costInVotes ?? 0) > 0 });
  }
}

@ObjectType('SelectionPlaces', { description: "The book's places for one round's selection" })
export class SelectionPlacesModel {
  @Field(() => Int, { description: "The book's number of portraits (N)" }) portraits!: number;
  @Field(() => Int, { description: 'Places the confirmed selections of other rounds filled' }) selectedElsewhere!: number;
  @Field(() => [ID], { description: 'The candidates those selections took; they are not offered again' }) selectedElsewhereIds!: string[];
  @Field({ description: "Whether this round's selection is confirmed" }) confirmedHere!: boolean;
  @Field(() => Int, { description: 'Places no confirmed selection has filled: what a new selection may fill' }) left!: number;

  static from(p: SelectionPlaces): SelectionPlacesModel {
    return Object.assign(new SelectionPlacesModel(), {
      portraits: p.portraits, selectedElsewhere: p.selectedElsewhere.length, selectedElsewhereIds: p.selectedElsewhere, confirmedHere: p.confirmedHere, left: p.left,
    });
  }
}

@ObjectType('SelectionTieCandidate')
export class SelectionTieCandidateModel {
  @Field(() => CandidateModel) candidate!: CandidateModel;
  @Field(() => Int, { description: 'Place in the seeded draw (1 = drawn first)' }) drawPosition!: number;
  @Field() selected!: boolean;
}

@ObjectType('SelectionTie', { description: 'Candidates with equal votes that the selection split, some in and some out: where the draw decided' })
export class SelectionTieModel {
  @Field(() => Int) votes!: number;
  @Field(() => [SelectionTieCandidateModel], { description: 'In the order of the draw' }) candidates!: SelectionTieCandidateModel[];
}

@ObjectType('SelectionEntry')
export class SelectionEntryModel {
  @Field(() => CandidateModel) candidate!: CandidateModel;
  @Field(() => Int) votes!: number;
  @Field(() => Int, { description: 'Place in the seeded tie-break draw (1 = drawn first)' }) drawPosition!: number;
  @Field() pinned!: boolean;
}

@ObjectType('Selection', { description: "A proposal of the balance assistant for the book's N candidates, or the confirmed list" })
export class SelectionModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) roundId!: string;
  @Field(() => Int) size!: number;
  @Field({ description: 'Seed of the tie-break draw: the draw position of a candidate is its place when sorting by SHA-256("<seed>:<candidate id>")' }) seed!: string;
  @Field(() => SelectionOutcomeEnum) outcome!: SelectionOutcome;
  @Field(() => SelectionStatusEnum) status!: SelectionStatus;
  @Field(() => Int, { nullable: true }) totalVotes!: number | null;
  @Field(() => [QuotaOutcomeModel]) quotas!: QuotaOutcomeModel[];
  @Field(() => [ID]) pinned!: string[];
  @Field(() => [ID]) excluded!: string[];
  @Field(() => [ID], { description: 'The selected candidates, most votes first' }) selectedIds!: string[];
  @Field(() => Float) solveSeconds!: number;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) confirmedAt!: Date | null;

  static from(s: Selection): SelectionModel {
    return Object.assign(new SelectionModel(), {
      id: s.id, roundId: s.roundId, size: s.size, seed: s.seed, outcome: s.outcome, status: s.status, totalVotes: s.totalVotes,
      quotas: s.quotaReport.map(QuotaOutcomeModel.from), pinned: s.pinned, excluded: s.excluded, selectedIds: s.selected, solveSeconds: s.solveSeconds,
      createdAt: s.createdAt, confirmedAt: s.confirmedAt,
    });
  }
}

@InputType()
export class QuotaInput {
  @Field(() => QuotaDimensionEnum) @IsIn(QUOTA_DIMENSIONS) dimension!: QuotaDimension;
  @Field(() => String, { nullable: true, description: 'For GOVERNMENT_LAYER, GENDER and REGION: the group' }) @IsOptional() @IsString() @MaxLength(100) value?: string | null;
  @Field(() => Int, { nullable: true, description: 'For PERIOD: the first year' }) @IsOptional() @IsInt() from?: number | null;
  @Field(() => Int, { nullable: true, description: 'For PERIOD: the last year' }) @IsOptional() @IsInt() to?: number | null;
  @Field(() => Int, { nullable: true, description: 'At least this many of the group (0 when left out)' }) @IsOptional() @IsInt() min?: number | null;
  @Field(() => Int, { nullable: true, description: 'At most this many (no limit when left out)' }) @IsOptional() @IsInt() max?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) label?: string | null;
}

@InputType('SelectionInput', { description: 'What editors ask the balance assistant' })
export class SelectionInputModel {
  @Field(() => Int, { nullable: true, description: "How many to select; the project's number of portraits when left out" }) @IsOptional() @IsInt() size?: number | null;
  @Field(() => [QuotaInput], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_QUOTAS) @ValidateNested({ each: true }) @Type(() => QuotaInput) quotas?: QuotaInput[] | null;
  @Field(() => [ID], { nullable: true, description: 'Candidates that must be in' }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_SELECTION_SIZE) @IsUUID('all', { each: true }) pinned?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Candidates that must stay out' }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_SELECTION_SIZE) @IsUUID('all', { each: true }) excluded?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Seed of the tie-break draw (give the one of an earlier proposal to re-run it); a new one when left out' })
  @IsOptional() @IsString() @MaxLength(200) seed?: string | null;
}
