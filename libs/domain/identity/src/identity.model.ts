import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsEnum, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ConnectionType, Locale, ProjectRole } from '@quire/core';
import { Invitation } from './invitation.entity';
import { User } from './user.entity';

@ObjectType('User')
export class UserModel {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
  /** Only shown to the person themself and to admins of a shared project (resolver decides). */
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => Locale) locale!: Locale;
  @Field() installationAdmin!: boolean;

  static from(u: User, showEmail: boolean): UserModel {
    return Object.assign(new UserModel(), { id: u.id, displayName: u.displayName, email: showEmail ? u.email : null, locale: u.locale, installationAdmin: u.installationAdmin });
  }
}

@ObjectType()
export class AuthPayload {
  @Field(() => UserModel) user!: UserModel;
  @Field({ description: 'Bearer token for API clients; the web app uses the session cookie set alongside' }) token!: string;
  @Field() expiresAt!: Date;
}

@ObjectType()
export class AuthConfig {
  @Field() oidcEnabled!: boolean;
  @Field() oidcLabel!: string;
}

@ObjectType('Invitation')
export class InvitationModel {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => [ProjectRole]) roles!: ProjectRole[];
  @Field() expiresAt!: Date;
  @Field(() => Date, { nullable: true }) acceptedAt!: Date | null;
  @Field() createdAt!: Date;

  static from(i: Invitation): InvitationModel {
    return Object.assign(new InvitationModel(), { id: i.id, email: i.email, roles: i.roles, expiresAt: i.expiresAt, acceptedAt: i.acceptedAt, createdAt: i.createdAt });
  }
}

@ObjectType()
export class InvitationConnection extends ConnectionType(InvitationModel) {}

@ObjectType()
export class CreatedInvitation {
  @Field(() => InvitationModel) invitation!: InvitationModel;
  @Field({ description: 'The link to send if e-mail is not configured; shown once' }) acceptUrl!: string;
}

@ObjectType()
export class InvitationPreviewModel {
  @Field() email!: string;
  @Field() projectTitle!: string;
  @Field() projectSlug!: string;
  @Field(() => [ProjectRole]) roles!: ProjectRole[];
  @Field() expiresAt!: Date;
  @Field() accountExists!: boolean;
}

@ObjectType('ProjectMember')
export class ProjectMemberModel {
  @Field(() => UserModel) user!: UserModel;
  @Field(() => [ProjectRole]) roles!: ProjectRole[];
  @Field() since!: Date;
}

@ObjectType()
export class ProjectMemberConnection extends ConnectionType(ProjectMemberModel) {}

@InputType()
export class SignInInput {
  @Field() @IsString() @MaxLength(320) email!: string;
  @Field() @IsString() @MaxLength(200) password!: string;
}

@InputType()
export class SignUpInput {
  @Field() @IsString() @MaxLength(60) projectSlug!: string;
  @Field() @IsEmail() @MaxLength(320) email!: string;
  @Field() @IsString() @MaxLength(120) displayName!: string;
  @Field() @IsString() @MaxLength(200) password!: string;
  @Field(() => Locale, { defaultValue: 'nl' }) @IsIn(['nl', 'en']) locale!: Locale;
}

@InputType()
export class InviteInput {
  @Field() @IsEmail() @MaxLength(320) email!: string;
  @Field(() => [ProjectRole]) @ArrayMinSize(1) @ArrayMaxSize(4) @IsEnum(ProjectRole, { each: true }) roles!: ProjectRole[];
  @Field(() => Locale, { defaultValue: 'nl' }) @IsIn(['nl', 'en']) locale!: Locale;
}

@InputType()
export class AcceptInvitationInput {
  @Field() @IsString() @MaxLength(200) token!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(120) displayName?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) password?: string;
  @Field(() => Locale, { nullable: true }) @IsOptional() @IsIn(['nl', 'en']) locale?: Locale;
}

@InputType()
export class UpdateProfileInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(120) displayName?: string;
  @Field(() => Locale, { nullable: true }) @IsOptional() @IsIn(['nl', 'en']) locale?: Locale;
}
