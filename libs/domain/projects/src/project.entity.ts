import type { Locale } from '@quire/core';
import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';

export type BookLanguage = Locale;

/** A book project; every other record belongs to one. */
@Entity('projects')
export class Project extends BaseEntity {
  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  language!: BookLanguage;

  @Column({ type: 'integer' })
  targetPortraitCount!: number;

  @Column({ type: 'integer' })
  wordLimitMin!: number;

  @Column({ type: 'integer' })
  wordLimitMax!: number;

  @Column({ type: 'boolean' })
  selfSignUp!: boolean;

  @Column({ type: 'text', array: true })
  allowedEmailDomains!: string[];

  /** Open reports on a nomination or comment that hide it until a moderator decides. */
  @Column({ type: 'integer' })
  reportThreshold!: number;
}
