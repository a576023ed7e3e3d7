import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@quire/core';
import { Notification } from './notification.entity';

@ObjectType('Notification')
export class NotificationModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) projectId!: string;
  @Field({ description: 'CANDIDATE_MERGED, COMMENT_ADDED, …' }) kind!: string;
  @Field({ description: 'JSON with what the notification is about (ids and names)' }) data!: string;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
  @Field() createdAt!: Date;

  static from(n: Notification): NotificationModel {
    // A notification published through Redis (notificationAdded) arrives as JSON, its dates as strings.
    return Object.assign(new NotificationModel(), {
      id: n.id, projectId: n.projectId, kind: n.kind, data: JSON.stringify(n.data), readAt: n.readAt && new Date(n.readAt), createdAt: new Date(n.createdAt),
    });
  }
}

@ObjectType()
export class NotificationConnection extends ConnectionType(NotificationModel) {
  @Field(() => Int) unreadCount!: number;
}
