import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionType, ProjectRole } from '@quire/core';
import {
  Candidate, CANDIDATE_STATUSES, CandidateMerge, CandidateStatus, Comment, Gender, GENDERS, GOVERNMENT_LAYERS, GovernmentLayer, Nomination,
  NominationSource, NominationStatus, PhaseRules, Round, ROUND_ACTIONS, ROUND_PHASES, RoundPhase, SOURCE_KINDS, SourceKind,
} from './entities';

const enumOf = <T extends string>(values: readonly T[]): Record<T, T> => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const RoundPhaseEnum = enumOf(ROUND_PHASES);
export const RoundActionEnum = enumOf(ROUND_ACTIONS);
export const GovernmentLayerEnum = enumOf(GOVERNMENT_LAYERS);
export const GenderEnum = enumOf(GENDERS);
export const CandidateStatusEnum = enumOf(CANDIDATE_STATUSES);
export const NominationStatusEnum = enumOf<NominationStatus>(['SUBMITTED', 'PUBLISHED', 'HIDDEN', 'MERGED', 'WITHDRAWN']);
export const SourceKindEnum = enumOf(SOURCE_KINDS);
export const CandidateSortEnum = enumOf(['MOST_ENDORSED', 'MOST_RECENT', 'RANDOM', 'NAME'] as const);
export const ReportTargetEnum = enumOf(['NOMINATION', 'COMMENT'] as const);
export const ModerationDecisionEnum = enumOf(['HIDE', 'KEEP'] as const);
export const ExportFormatEnum = enumOf(['CSV', 'JSON'] as const);

registerEnumType(RoundPhaseEnum, { name: 'RoundPhase' });
registerEnumType(RoundActionEnum, { name: 'RoundAction' });
registerEnumType(GovernmentLayerEnum, { name: 'GovernmentLayer' });
registerEnumType(GenderEnum, { name: 'Gender' });
registerEnumType(CandidateStatusEnum, { name: 'CandidateStatus' });
registerEnumType(NominationStatusEnum, { name: 'NominationStatus' });
registerEnumType(SourceKindEnum, { name: 'SourceKind' });
registerEnumType(CandidateSortEnum, { name: 'CandidateSort', description: 'RANDOM uses a seed per member, so paging stays stable' });
registerEnumType(ReportTargetEnum, { name: 'ReportTarget' });
registerEnumType(ModerationDecisionEnum, { name: 'ModerationDecision' });
registerEnumType(ExportFormatEnum, { name: 'ExportFormat' });

@ObjectType('PhaseRules', { description: 'Which roles may act in one phase, and whether tallies show' })
export class PhaseRulesModel {
  @Field(() => [ProjectRole]) nominate!: ProjectRole[];
  @Field(() => [ProjectRole]) endorse!: ProjectRole[];
  @Field(() => [ProjectRole]) comment!: ProjectRole[];
  @Field(() => [ProjectRole]) vote!: ProjectRole[];
  @Field() talliesVisible!: boolean;
}

@ObjectType('RoundRules')
export class RoundRulesModel {
  @Field(() => PhaseRulesModel) DRAFT!: PhaseRules;
  @Field(() => PhaseRulesModel) NOMINATING!: PhaseRules;
  @Field(() => PhaseRulesModel) VOTING!: PhaseRules;
  @Field(() => PhaseRulesModel) CLOSED!: PhaseRules;
}

@ObjectType('RoundSettings', { description: "A round's settings but its title: what editors set, or what a new round starts with" })
export class RoundSettingsModel {
  @Field() description!: string;
  @Field(() => Date, { nullable: true }) nominatingOpensAt!: Date | null;
  @Field(() => Date, { nullable: true }) votingOpensAt!: Date | null;
  @Field(() => Date, { nullable: true }) closesAt!: Date | null;
  @Field(() => RoundRulesModel) rules!: RoundRulesModel;
  @Field() premoderation!: boolean;
  @Field(() => Int) maxNominationsPerMember!: number;
  @Field(() => Int) motivationMinLength!: number;
  @Field(() => Int) motivationMaxLength!: number;
  @Field(() => Int) votesPerMember!: number;
  @Field(() => Int) minVotesPerMember!: number;
}

@ObjectType('Round')
export class RoundModel extends RoundSettingsModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) projectId!: string;
  @Field() title!: string;
  @Field(() => RoundPhaseEnum) phase!: RoundPhase;
  @Field() phaseChangedAt!: Date;
  @Field() createdAt!: Date;

  static from(r: Round): RoundModel {
    const { createdById: _c, updatedAt: _u, ...fields } = r;
    return Object.assign(new RoundModel(), fields);
  }
}

@ObjectType('Candidate', { description: 'A person who may be portrayed; gathers nominations' })
export class CandidateModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) projectId!: string;
  @Field() name!: string;
  @Field(() => [String]) nameVariants!: string[];
  @Field(() => Int, { nullable: true }) birthYear!: number | null;
  @Field(() => Int, { nullable: true }) deathYear!: number | null;
  @Field(() => [String]) offices!: string[];
  @Field() organisation!: string;
  @Field(() => GovernmentLayerEnum) governmentLayer!: GovernmentLayer;
  @Field(() => Int, { nullable: true }) periodStart!: number | null;
  @Field(() => Int, { nullable: true }) periodEnd!: number | null;
  @Field(() => GenderEnum) gender!: Gender;
  @Field() region!: string;
  @Field(() => String, { nullable: true }) wikidataId!: string | null;
  @Field() bio!: string;
  @Field(() => CandidateStatusEnum) status!: CandidateStatus;
  @Field(() => ID, { nullable: true, description: 'Set when merged into another candidate (this one is a redirect)' }) mergedIntoId!: string | null;
  @Field() createdAt!: Date;

  static from(c: Candidate): CandidateModel {
    const { matchKey: _m, surnameKey: _s, createdById: _c, updatedAt: _u, ...fields } = c;
    return Object.assign(new CandidateModel(), fields);
  }
}

@ObjectType('CandidateListEntry', { description: 'A candidate in a list, with its counts' })
export class CandidateListEntry {
  @Field(() => CandidateModel) candidate!: CandidateModel;
  @Field(() => Int) endorsementCount!: number;
  @Field(() => Int) nominationCount!: number;
}

@ObjectType()
export class CandidateConnection extends ConnectionType(CandidateListEntry) {}

@ObjectType('SimilarCandidate')
export class SimilarCandidateModel {
  @Field(() => CandidateModel) candidate!: CandidateModel;
  @Field(() => Float, { description: 'How alike, from 0 to 1' }) score!: number;
}

@ObjectType('Person', { description: 'Someone taking part, as others see them' })
export class PersonModel {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
}

@ObjectType('NominationSource')
export class NominationSourceModel {
  @Field(() => SourceKindEnum) kind!: SourceKind;
  @Field() reference!: string;
  @Field(() => String, { nullable: true }) url!: string | null;

  static from(s: NominationSource): NominationSourceModel {
    return Object.assign(new NominationSourceModel(), { kind: s.kind, reference: s.reference, url: s.url });
  }
}

@ObjectType('Nomination')
export class NominationModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) roundId!: string;
  @Field(() => ID) candidateId!: string;
  nominatorId!: string;
  @Field() motivation!: string;
  @Field(() => NominationStatusEnum) status!: NominationStatus;
  @Field(() => String, { nullable: true }) hiddenReason!: string | null;
  @Field() createdAt!: Date;

  static from(n: Nomination): NominationModel {
    return Object.assign(new NominationModel(), {
      id: n.id, roundId: n.roundId, candidateId: n.candidateId, nominatorId: n.nominatorId, motivation: n.motivation, status: n.status, hiddenReason: n.hiddenReason, createdAt: n.createdAt,
    });
  }
}

@ObjectType()
export class NominationConnection extends ConnectionType(NominationModel) {}

@ObjectType('Comment')
export class CommentModel {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true }) parentId!: string | null;
  authorId!: string;
  @Field() body!: string;
  @Field() status!: string;
  @Field() createdAt!: Date;

  static from(c: Comment): CommentModel {
    return Object.assign(new CommentModel(), { id: c.id, parentId: c.parentId, authorId: c.authorId, body: c.body, status: c.status, createdAt: c.createdAt });
  }
}

@ObjectType('CandidateMerge')
export class CandidateMergeModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) sourceId!: string;
  @Field(() => ID) targetId!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) undoneAt!: Date | null;

  static from(m: CandidateMerge): CandidateMergeModel {
    return Object.assign(new CandidateMergeModel(), { id: m.id, sourceId: m.sourceId, targetId: m.targetId, createdAt: m.createdAt, undoneAt: m.undoneAt });
  }
}

@ObjectType('ModerationItem')
export class ModerationItemModel {
  @Field(() => ReportTargetEnum) targetType!: 'NOMINATION' | 'COMMENT';
  @Field(() => ID) targetId!: string;
  @Field() status!: string;
  @Field() text!: string;
  @Field(() => ID) authorId!: string;
  @Field(() => ID) candidateId!: string;
  @Field(() => Int) openReports!: number;
  @Field(() => [String]) reasons!: string[];
}

@ObjectType('BlockedMember')
export class BlockedMemberModel {
  @Field(() => ID) userId!: string;
  @Field() reason!: string;
  @Field() createdAt!: Date;
}

@ObjectType('ImportResult')
export class ImportResultModel {
  @Field(() => Int) imported!: number;
  @Field(() => Int) candidatesCreated!: number;
}

@InputType()
export class PhaseRulesInput {
  @Field(() => [ProjectRole]) @IsArray() @IsEnum(ProjectRole, { each: true }) nominate!: ProjectRole[];
  @Field(() => [ProjectRole]) @IsArray() @IsEnum(ProjectRole, { each: true }) endorse!: ProjectRole[];
  @Field(() => [ProjectRole]) @IsArray() @IsEnum(ProjectRole, { each: true }) comment!: ProjectRole[];
  @Field(() => [ProjectRole]) @IsArray() @IsEnum(ProjectRole, { each: true }) vote!: ProjectRole[];
  @Field() @IsBoolean() talliesVisible!: boolean;
}

@InputType()
export class RoundRulesInput {
  @Field(() => PhaseRulesInput) @ValidateNested() @Type(() => PhaseRulesInput) DRAFT!: PhaseRulesInput;
  @Field(() => PhaseRulesInput) @ValidateNested() @Type(() => PhaseRulesInput) NOMINATING!: PhaseRulesInput;
  @Field(() => PhaseRulesInput) @ValidateNested() @Type(() => PhaseRulesInput) VOTING!: PhaseRulesInput;
  @Field(() => PhaseRulesInput) @ValidateNested() @Type(() => PhaseRulesInput) CLOSED!: PhaseRulesInput;
}

@InputType()
export class RoundInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() nominatingOpensAt?: Date | null;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() votingOpensAt?: Date | null;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() closesAt?: Date | null;
  @Field(() => RoundRulesInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RoundRulesInput) rules?: RoundRulesInput;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() premoderation?: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() maxNominationsPerMember?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() motivationMinLength?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() motivationMaxLength?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() votesPerMember?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() minVotesPerMember?: number;
}

@InputType('CandidateInput')
export class CandidateInputModel {
  @Field() @IsString() @MaxLength(200) name!: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(200, { each: true }) nameVariants?: string[];
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() birthYear?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() deathYear?: number | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(200, { each: true }) offices?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) organisation?: string;
  @Field(() => GovernmentLayerEnum, { nullable: true }) @IsOptional() @IsIn(GOVERNMENT_LAYERS) governmentLayer?: GovernmentLayer;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() periodStart?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() periodEnd?: number | null;
  @Field(() => GenderEnum, { nullable: true }) @IsOptional() @IsIn(GENDERS) gender?: Gender;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(20) wikidataId?: string | null;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) bio?: string;
}

@InputType('SourceInput')
export class SourceInputModel {
  @Field(() => SourceKindEnum) @IsIn(SOURCE_KINDS) kind!: SourceKind;
  @Field() @IsString() @MaxLength(500) reference!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) url?: string | null;
}

@InputType('NominateInput')
export class NominateInputModel {
  @Field(() => ID, { nullable: true, description: 'Nominate a known candidate…' }) @IsOptional() @IsUUID() candidateId?: string | null;
  @Field(() => CandidateInputModel, { nullable: true, description: '…or describe a new one' }) @IsOptional() @ValidateNested() @Type(() => CandidateInputModel) candidate?: CandidateInputModel | null;
  @Field() @IsString() @MaxLength(20000) motivation!: string;
  @Field(() => [SourceInputModel], { defaultValue: [] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => SourceInputModel) sources!: SourceInputModel[];
}

@InputType()
export class CandidateFilterInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() roundId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() periodFrom?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() periodTo?: number | null;
  @Field(() => GovernmentLayerEnum, { nullable: true }) @IsOptional() @IsIn(GOVERNMENT_LAYERS) governmentLayer?: GovernmentLayer | null;
  @Field(() => GenderEnum, { nullable: true }) @IsOptional() @IsIn(GENDERS) gender?: Gender | null;
  @Field(() => CandidateStatusEnum, { nullable: true }) @IsOptional() @IsIn(CANDIDATE_STATUSES) status?: CandidateStatus | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) text?: string | null;
}

