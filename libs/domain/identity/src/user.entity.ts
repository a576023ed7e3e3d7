import type { Locale } from '@quire/core';
import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';

export type { Locale };

@Entity('users')
export class User extends BaseEntity {
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  locale!: Locale;

  /** argon2id; null for people who only sign in through their organisation (OpenID Connect). */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ type: 'boolean' })
  installationAdmin!: boolean;

  @Column({ type: 'text', nullable: true })
  oidcIssuer!: string | null;

  @Column({ type: 'text', nullable: true })
  oidcSubject!: string | null;
}
