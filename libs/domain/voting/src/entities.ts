import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { BaseEntity } from '@quire/db';

/** A member's votes in one round: how many of the budget are cast. */
@Entity('ballots')
export class Ballot {
  @PrimaryColumn({ type: 'uuid' }) roundId!: string;
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'integer' }) budget!: number;
  @Column({ type: 'integer' }) votesCast!: number;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('votes')
export class Vote {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) roundId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'uuid', nullable: true }) movedFromCandidateId!: string | null;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}

/** A candidate whose live tally and recount differ: never hidden, always reported. */
export interface TallyDifference {
  candidateId: string;
  live: number;
  recount: number;
}

export type RecountStatus = 'PENDING' | 'DONE';

@Entity('recounts')
export class Recount extends BaseEntity {
  @Column({ type: 'uuid' }) roundId!: string;
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid', nullable: true }) requestedById!: string | null;
  @Column({ type: 'text' }) status!: RecountStatus;
  @Column({ type: 'boolean', nullable: true }) agreed!: boolean | null;
  @Column({ type: 'integer', nullable: true }) totalVotes!: number | null;
  /** Vote events not yet folded when the recount ran: the live tally's lag, not a disagreement. */
  @Column({ type: 'integer', nullable: true }) pendingEvents!: number | null;
  @Column({ type: 'jsonb' }) differences!: TallyDifference[];
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}

/** A closed round's results, counted from the votes when it closed. */
@Entity('round_results')
export class RoundResult {
  @PrimaryColumn({ type: 'uuid' }) roundId!: string;
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'integer' }) totalVotes!: number;
  /** Members who cast at least one vote. */
  @Column({ type: 'integer' }) voters!: number;
  /** Members whose votes count (they reached the round's minimum). */
  @Column({ type: 'integer' }) countedVoters!: number;
  @Column({ type: 'boolean' }) liveTallyAgreed!: boolean;
  @Column({ type: 'jsonb' }) differences!: TallyDifference[];
  @Column({ type: 'timestamptz' }) frozenAt!: Date;
}

@Entity('round_result_entries')
export class RoundResultEntry {
  @PrimaryColumn({ type: 'uuid' }) roundId!: string;
  @PrimaryColumn({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'integer' }) rank!: number;
  @Column({ type: 'integer' }) votes!: number;
}

export type QuotaDimension = 'PERIOD' | 'GOVERNMENT_LAYER' | 'GENDER' | 'REGION';
export const QUOTA_DIMENSIONS: readonly QuotaDimension[] = ['PERIOD', 'GOVERNMENT_LAYER', 'GENDER', 'REGION'];

/** An editors' quota: between min and max of the N come from one group of candidates. */
export interface Quota {
  label: string;
  dimension: QuotaDimension;
  /** The group's value for GOVERNMENT_LAYER, GENDER and REGION. */
  value: string | null;
  /** The years of a PERIOD (inclusive): candidates active at any time in them. */
  from: number | null;
  to: number | null;
  min: number;
  max: number | null;
}

/** How a quota came out: how many of the group were selected and whether it cost votes. */
export interface QuotaOutcome extends Quota {
  /** Candidates of the group that could be selected (not excluded). */
  available: number;
  selected: number | null;
  /** The selection sits at the quota's minimum or maximum. */
  atLimit: boolean;
  /** Votes the selection would gain without this quota (0 when it does not bind). */
  costInVotes: number | null;
}

export type SelectionOutcome = 'OPTIMAL' | 'INFEASIBLE';
export type SelectionStatus = 'PROPOSED' | 'CONFIRMED';

@Entity('selections')
export class Selection extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) roundId!: string;
  @Column({ type: 'integer' }) size!: number;
  @Column({ type: 'text' }) seed!: string;
  @Column({ type: 'jsonb' }) quotas!: Quota[];
  @Column({ type: 'uuid', array: true }) pinned!: string[];
  @Column({ type: 'uuid', array: true }) excluded!: string[];
  @Column({ type: 'text' }) outcome!: SelectionOutcome;
  /** The selected candidates, most votes first. */
  @Column({ type: 'uuid', array: true }) selected!: string[];
  @Column({ type: 'integer', nullable: true }) totalVotes!: number | null;
  @Column({ type: 'jsonb' }) quotaReport!: QuotaOutcome[];
  @Column({ type: 'double precision' }) solveSeconds!: number;
  @Column({ type: 'text' }) status!: SelectionStatus;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) confirmedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) confirmedById!: string | null;
}

export const VOTING_ENTITIES = [Ballot, Vote, Recount, RoundResult, RoundResultEntry, Selection];
