import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';

export type SessionKind = 'WEB' | 'API';

/** A signed-in session: a cookie for the web app or a bearer token for API clients. */
@Entity('sessions')
export class Session extends BaseEntity {
  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'text' })
  kind!: SessionKind;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
