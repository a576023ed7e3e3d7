import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor, DomainError, isUuid, Page, PageArgs, PUB_SUB } from '@quire/core';
import { newestFirstPage } from '@quire/db';
import { NotificationRequest, Topics } from '@quire/queue';
import { Notification } from './notification.entity';

/** In-app notifications: written by the worker from queued requests, read by each person. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  /** Writes one notification per person (in the job's transaction) and pushes it to open sessions. */
  async deliver(em: EntityManager, request: NotificationRequest): Promise<Notification[]> {
    const userIds = [...new Set(request.userIds)];
    if (!userIds.length) return [];
    const rows = await em.save(userIds.map((userId) => em.create(Notification, { projectId: request.projectId, userId, kind: request.kind, data: request.data, readAt: null })));
    await Promise.all(rows.map((n) => this.pubSub.publish(Topics.notificationAdded(this.config.redisPrefix, n.userId), { notificationAdded: n })));
    return rows;
  }

  async list(actor: Actor, unreadOnly: boolean, page: PageArgs): Promise<Page<Notification> & { unreadCount: number }> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    const repo = this.dataSource.getRepository(Notification);
    const qb = repo.createQueryBuilder('n').where('n.user_id = :userId', { userId: actor.userId });
    if (unreadOnly) qb.andWhere('n.read_at IS NULL');
    const unreadCount = await repo.count({ where: { userId: actor.userId, readAt: IsNull() } });
    return { ...(await newestFirstPage(qb, 'n', page)), unreadCount };
  }

  /** Marks the given notifications (or all, when `ids` is null) of the actor as read. */
  async markRead(actor: Actor, ids: string[] | null): Promise<number> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    if (ids && (ids.length > 500 || !ids.every(isUuid))) throw DomainError.badInput([{ field: 'ids', message: 'At most 500 notification ids' }]);
    const where = { userId: actor.userId, readAt: IsNull(), ...(ids ? { id: In(ids) } : {}) };
    const result = await this.dataSource.getRepository(Notification).update(where, { readAt: new Date() });
    return result.affected ?? 0;
  }
}
