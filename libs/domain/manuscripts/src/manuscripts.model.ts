import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AccessMode } from '@quire/collab-core';
import { PORTRAIT_STATUSES, PortraitStatus } from './portrait.entity';
import { PORTRAIT_ACTIONS, PortraitAction, VERSION_KINDS, VersionKind } from './portrait-workflow';
import { CollabTicket } from './collab-tickets.service';
import { PortraitDetails, PortraitPerson, PortraitVersion } from './portraits.service';

const enumOf = <T extends string>(values: readonly T[]): Record<T, T> => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const PortraitStatusEnum = enumOf(PORTRAIT_STATUSES);
export const PortraitActionEnum = enumOf(PORTRAIT_ACTIONS);
export const VersionKindEnum = enumOf(VERSION_KINDS);
export const CollabAccessEnum = { READ_WRITE: 'READ_WRITE', READ_ONLY: 'READ_ONLY' } as const;
export type CollabAccess = keyof typeof CollabAccessEnum;

registerEnumType(PortraitStatusEnum, { name: 'PortraitStatus' });
registerEnumType(PortraitActionEnum, { name: 'PortraitAction', description: 'A step of the portrait workflow' });
registerEnumType(VersionKindEnum, { name: 'PortraitVersionKind', description: 'MANUAL, or made when the portrait was SUBMITTED or APPROVED, or just BEFORE_RESTORE of another version' });
registerEnumType(CollabAccessEnum, { name: 'CollabAccess', description: 'What a collaboration connection may do: edit the text, or read it' });

export function collabAccess(mode: AccessMode): CollabAccess {
  return mode === 'read-write' ? 'READ_WRITE' : 'READ_ONLY';
}

@ObjectType('PortraitPerson')
export class PortraitPersonModel {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
}

@ObjectType('PortraitHeading')
export class PortraitHeadingModel {
  @Field(() => Int) level!: number;
  @Field() text!: string;
}

@ObjectType('Portrait', { description: 'The portrait of one selected candidate: its team, its workflow state and its collaborative text' })
export class PortraitModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) projectId!: string;
  @Field(() => ID) candidateId!: string;
  @Field() candidateName!: string;
  @Field(() => PortraitStatusEnum) status!: PortraitStatus;
  @Field() statusChangedAt!: Date;
  @Field() createdAt!: Date;
  @Field(() => PortraitPersonModel, { nullable: true }) leadAuthor!: PortraitPerson | null;
  @Field(() => [PortraitPersonModel]) coAuthors!: PortraitPerson[];
  @Field(() => PortraitPersonModel, { nullable: true }) editor!: PortraitPerson | null;
  @Field({ description: 'The Yjs document: connect to `<collabTicket.url>/<documentName>`' }) documentName!: string;
  @Field(() => Int, { description: 'Words in the text, as last extracted (a few seconds after changes)' }) wordCount!: number;
  @Field(() => [PortraitHeadingModel]) headings!: PortraitHeadingModel[];
  @Field(() => CollabAccessEnum, { description: 'What I may do with the text now' }) myAccess!: CollabAccess;
  @Field(() => [PortraitActionEnum], { description: 'The workflow steps I may take now' }) myActions!: PortraitAction[];

  static from(p: PortraitDetails): PortraitModel {
    return Object.assign(new PortraitModel(), { ...p, myAccess: collabAccess(p.myAccess ?? 'read-only') });
  }
}

@ObjectType('PortraitVersion', { description: 'A named version of a portrait text' })
export class PortraitVersionModel {
  @Field(() => ID) id!: string;
  @Field(() => VersionKindEnum) kind!: VersionKind;
  @Field() label!: string;
  @Field() createdAt!: Date;
  @Field(() => PortraitPersonModel, { nullable: true }) createdBy!: PortraitPerson | null;

  static from(v: PortraitVersion): PortraitVersionModel {
    return Object.assign(new PortraitVersionModel(), { id: v.id, kind: v.kind, label: v.label, createdAt: v.createdAt, createdBy: v.createdBy });
  }
}

@ObjectType('CollabTicket', { description: 'Opens one collaboration connection: new WebsocketProvider(url, documentName, doc, { params: { ticket } })' })
export class CollabTicketModel {
  @Field() ticket!: string;
  @Field() url!: string;
  @Field() documentName!: string;
  @Field() expiresAt!: Date;
  @Field(() => CollabAccessEnum) access!: CollabAccess;

  static from(t: CollabTicket): CollabTicketModel {
    return Object.assign(new CollabTicketModel(), { ...t, access: collabAccess(t.access) });
  }
}

@InputType('PortraitTeamInput')
export class PortraitTeamInputModel {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() leadAuthorId?: string | null;
  @Field(() => [ID], { defaultValue: [] }) @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) coAuthorIds!: string[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() editorId?: string | null;
}

@InputType()
export class PortraitVersionInput {
  @Field() @IsString() @MaxLength(1000) label!: string;
}
