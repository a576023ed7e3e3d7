import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';
import { ProjectRole } from '@quire/core';
import { Locale } from './user.entity';

/** A single-use, expiring invitation into a project with roles; only the token's hash is kept. */
@Entity('invitations')
export class Invitation extends BaseEntity {
  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', array: true })
  roles!: ProjectRole[];

  @Column({ type: 'text' })
  locale!: Locale;

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  invitedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acceptedById!: string | null;
}
