import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';

@Entity('password_resets')
export class PasswordReset extends BaseEntity {
  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
