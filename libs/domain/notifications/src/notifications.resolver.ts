import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Access, Actor, CurrentActor, DomainError, PUB_SUB, toConnection } from '@quire/core';
import { newestFirstCursor } from '@quire/db';
import { Topics } from '@quire/queue';
import { Notification } from './notification.entity';
import { NotificationConnection, NotificationModel } from './notifications.model';
import { NotificationsService } from './notifications.service';

@Resolver(() => NotificationModel)
export class NotificationsResolver {
  constructor(
    private readonly notifications: NotificationsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  @Access('signedIn')
  @Query(() => NotificationConnection, { name: 'notifications', description: 'My notifications, newest first' })
  async listNotifications(
    @CurrentActor() actor: Actor,
    @Args('unreadOnly', { defaultValue: false }) unreadOnly: boolean,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<NotificationConnection> {
    const page = await this.notifications.list(actor, unreadOnly, { first, after });
    return { ...toConnection(page, NotificationModel.from, newestFirstCursor), unreadCount: page.unreadCount };
  }

  @Access('signedIn')
  @Mutation(() => Int, { description: 'Marks my notifications read (all of them when ids is left out); returns how many' })
  markNotificationsRead(@CurrentActor() actor: Actor, @Args('ids', { type: () => [ID], nullable: true }) ids: string[] | null): Promise<number> {
    return this.notifications.markRead(actor, ids);
  }

  @Access('signedIn')
  @Subscription(() => NotificationModel, { resolve: (payload: { notificationAdded: Notification }) => NotificationModel.from(payload.notificationAdded) })
  notificationAdded(@CurrentActor() actor: Actor): AsyncIterator<unknown> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    return this.pubSub.asyncIterator(Topics.notificationAdded(this.config.redisPrefix, actor.userId));
  }
}
