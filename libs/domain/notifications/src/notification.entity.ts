import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@quire/db';
import type { NotificationRequest } from '@quire/queue';

export type NotificationKind = NotificationRequest['kind'];

@Entity('notifications')
export class Notification extends BaseEntity {
  @Column({ type: 'uuid' }) projectId!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) kind!: NotificationKind;
  @Column({ type: 'jsonb' }) data!: Record<string, string>;
  @Column({ type: 'timestamptz', nullable: true }) readAt!: Date | null;
}
