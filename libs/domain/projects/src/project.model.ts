import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ConnectionType, Locale } from '@quire/core';
import { AuditEvent } from '@quire/domain/audit';
import { Project } from './project.entity';


@ObjectType('Project', { description: 'A book project: one book, made by one network' })
export class ProjectModel {
  @Field(() => ID) id!: string;
  @Field() slug!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => Locale) language!: Locale;
  @Field(() => Int) targetPortraitCount!: number;
  @Field(() => Int) wordLimitMin!: number;
  @Field(() => Int) wordLimitMax!: number;
  @Field() selfSignUp!: boolean;
  @Field(() => [String]) allowedEmailDomains!: string[];
  @Field(() => Int) reportThreshold!: number;
  @Field() createdAt!: Date;

  static from(p: Project): ProjectModel {
    return Object.assign(new ProjectModel(), {
      id: p.id, slug: p.slug, title: p.title, description: p.description, language: p.language,
      targetPortraitCount: p.targetPortraitCount, wordLimitMin: p.wordLimitMin, wordLimitMax: p.wordLimitMax,
      selfSignUp: p.selfSignUp, allowedEmailDomains: p.allowedEmailDomains, reportThreshold: p.reportThreshold, createdAt: p.createdAt,
    });
  }
}

@InputType()
export class UpdateProjectInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @Field(() => Locale, { nullable: true }) @IsOptional() @IsIn(['nl', 'en']) language?: Locale;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10000) targetPortraitCount?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100000) wordLimitMin?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100000) wordLimitMax?: number;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() selfSignUp?: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1000) reportThreshold?: number;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(253, { each: true }) allowedEmailDomains?: string[];
}

@InputType()
export class CreateProjectInput extends UpdateProjectInput {
  @Field() @IsString() @MaxLength(60) slug!: string;
  @Field() @IsString() @MaxLength(200) declare title: string;
}

@ObjectType('AuditEvent', { description: 'One line of the append-only audit log' })
export class AuditEventModel {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field() actorKind!: string;
  @Field() action!: string;
  @Field() entityType!: string;
  @Field() entityId!: string;
  @Field({ description: 'JSON of what changed' }) data!: string;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field() createdAt!: Date;

  static from(e: AuditEvent): AuditEventModel {
    return Object.assign(new AuditEventModel(), {
      id: e.id, actorId: e.actorId, actorKind: e.actorKind, action: e.action, entityType: e.entityType,
      entityId: e.entityId, data: JSON.stringify(e.data), requestId: e.requestId, createdAt: e.createdAt,
    });
  }
}

@ObjectType()
export class AuditEventConnection extends ConnectionType(AuditEventModel) {}

@InputType()
export class AuditFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) entityType?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() actorId?: string;
}
