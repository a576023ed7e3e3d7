import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity } from '@quire/db';
import type { ProjectRole } from '@quire/core';
import type { RoundPhaseName } from '@quire/queue';

export type RoundPhase = RoundPhaseName;
export const ROUND_PHASES: readonly RoundPhase[] = ['DRAFT', 'NOMINATING', 'VOTING', 'CLOSED'];

export type RoundAction = 'nominate' | 'endorse' | 'comment' | 'vote';
export const ROUND_ACTIONS: readonly RoundAction[] = ['nominate', 'endorse', 'comment', 'vote'];

/** Who may do what in one phase, and whether vote tallies are shown. */
export type PhaseRules = Record<RoundAction, ProjectRole[]> & { talliesVisible: boolean };
export type RoundRules = Record<RoundPhase, PhaseRules>;

@Entity('rounds')
export class Round extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) phase!: RoundPhase;
  @Column({ type: 'timestamptz', nullable: true }) nominatingOpensAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) votingOpensAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) closesAt!: Date | null;
  @Column({ type: 'jsonb' }) rules!: RoundRules;
  @Column({ type: 'boolean' }) premoderation!: boolean;
  @Column({ type: 'integer' }) maxNominationsPerMember!: number;
  @Column({ type: 'integer' }) motivationMinLength!: number;
  @Column({ type: 'integer' }) motivationMaxLength!: number;
  @Column({ type: 'integer' }) votesPerMember!: number;
  @Column({ type: 'integer' }) minVotesPerMember!: number;
  @Column({ type: 'timestamptz' }) phaseChangedAt!: Date;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
}

export type GovernmentLayer = 'NATIONAL' | 'PROVINCIAL' | 'MUNICIPAL' | 'WATER_BOARD' | 'OVERSEAS' | 'OTHER';
export const GOVERNMENT_LAYERS: readonly GovernmentLayer[] = ['NATIONAL', 'PROVINCIAL', 'MUNICIPAL', 'WATER_BOARD', 'OVERSEAS', 'OTHER'];
export type Gender = 'FEMALE' | 'MALE' | 'NONBINARY' | 'UNKNOWN';
export const GENDERS: readonly Gender[] = ['FEMALE', 'MALE', 'NONBINARY', 'UNKNOWN'];
export type CandidateStatus = 'NOMINATED' | 'SHORTLISTED' | 'SELECTED' | 'NOT_SELECTED';
export const CANDIDATE_STATUSES: readonly CandidateStatus[] = ['NOMINATED', 'SHORTLISTED', 'SELECTED', 'NOT_SELECTED'];

@Entity('candidates')
export class Candidate extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', array: true }) nameVariants!: string[];
  @Column({ type: 'integer', nullable: true }) birthYear!: number | null;
  @Column({ type: 'integer', nullable: true }) deathYear!: number | null;
  @Column({ type: 'text', array: true }) offices!: string[];
  @Column({ type: 'text' }) organisation!: string;
  @Column({ type: 'text' }) governmentLayer!: GovernmentLayer;
  @Column({ type: 'integer', nullable: true }) periodStart!: number | null;
  @Column({ type: 'integer', nullable: true }) periodEnd!: number | null;
  @Column({ type: 'text' }) gender!: Gender;
  @Column({ type: 'text' }) region!: string;
  @Column({ type: 'text', nullable: true }) wikidataId!: string | null;
  @Column({ type: 'text' }) bio!: string;
  @Column({ type: 'text' }) status!: CandidateStatus;
  /** Set when an editor merged this candidate into another: this one remains as a redirect. */
  @Column({ type: 'uuid', nullable: true }) mergedIntoId!: string | null;
  @Column({ type: 'text', select: false }) matchKey!: string;
  @Column({ type: 'text', select: false }) surnameKey!: string;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
}

export type NominationStatus = 'SUBMITTED' | 'PUBLISHED' | 'HIDDEN' | 'MERGED' | 'WITHDRAWN';
export const NOMINATION_STATUSES: readonly NominationStatus[] = ['SUBMITTED', 'PUBLISHED', 'HIDDEN', 'MERGED', 'WITHDRAWN'];

@Entity('nominations')
export class Nomination extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) roundId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'uuid' }) nominatorId!: string;
  @Column({ type: 'text' }) motivation!: string;
  @Column({ type: 'text' }) status!: NominationStatus;
  @Column({ type: 'text', nullable: true }) hiddenReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) movedFromCandidateId!: string | null;
  @Column({ type: 'uuid', nullable: true }) mergedIntoNominationId!: string | null;
}

export type SourceKind = 'URL' | 'LITERATURE' | 'ARCHIVE';
export const SOURCE_KINDS: readonly SourceKind[] = ['URL', 'LITERATURE', 'ARCHIVE'];

@Entity('nomination_sources')
export class NominationSource extends BaseEntity {
  @Column({ type: 'uuid' }) nominationId!: string;
  @Column({ type: 'text' }) kind!: SourceKind;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'text', nullable: true }) url!: string | null;
  @Column({ type: 'integer' }) position!: number;
}

@Entity('endorsements')
export class Endorsement extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid', nullable: true }) movedFromCandidateId!: string | null;
}

export type CommentStatus = 'VISIBLE' | 'HIDDEN';

@Entity('comments')
export class Comment extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'uuid', nullable: true }) parentId!: string | null;
  @Column({ type: 'uuid' }) authorId!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'text' }) status!: CommentStatus;
  @Column({ type: 'text', nullable: true }) hiddenReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) movedFromCandidateId!: string | null;
}

@Entity('follows')
export class Follow extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) candidateId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid', nullable: true }) movedFromCandidateId!: string | null;
}

export type ReportTarget = 'NOMINATION' | 'COMMENT';
export type ReportResolution = 'HIDDEN' | 'KEPT';

@Entity('reports')
export class Report extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) targetType!: ReportTarget;
  @Column({ type: 'uuid' }) targetId!: string;
  @Column({ type: 'uuid' }) reporterId!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) resolution!: ReportResolution | null;
}

@Entity('project_blocks')
export class ProjectBlock {
  @PrimaryColumn({ type: 'uuid' }) projectId!: string;
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
  @Column({ type: 'uuid', nullable: true }) blockedById!: string | null;
  @Column({ type: 'text' }) reason!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** What a merge moved or dropped, so that undoing it restores exactly the state before. */
export interface MergeRecord {
  nominations: string[];
  mergedNominations: { id: string; into: string; previousStatus: NominationStatus }[];
  endorsements: string[];
  droppedEndorsements: { userId: string; createdAt: string }[];
  comments: string[];
  follows: string[];
  droppedFollows: { userId: string; createdAt: string }[];
  /** What each MergeParticipant of another context moved, by its name. */
  participants?: Record<string, unknown>;
}

@Entity('candidate_merges')
export class CandidateMerge extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) sourceId!: string;
  @Column({ type: 'uuid' }) targetId!: string;
  @Column({ type: 'uuid', nullable: true }) mergedById!: string | null;
  @Column({ type: 'jsonb' }) moved!: MergeRecord;
  @Column({ type: 'timestamptz', nullable: true }) undoneAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) undoneById!: string | null;
}

export const NOMINATIONS_ENTITIES = [Round, Candidate, Nomination, NominationSource, Endorsement, Comment, Follow, Report, ProjectBlock, CandidateMerge];
