import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { checkPageSize, decodeCursor, encodeCursor, Page, PageArgs } from '@quire/core';

/** The cursor of a row in newest-first order: its creation time and id. */
export function newestFirstCursor(row: { createdAt: Date; id: string }): string[] {
  return [row.createdAt.toISOString(), row.id];
}

/**
 * One page of `qb` (already filtered) newest first, by `<alias>.created_at` then id. Cursors carry
 * JavaScript's milliseconds while PostgreSQL keeps microseconds, so rows are sorted and compared
 * at millisecond precision; otherwise rows made within one millisecond could be skipped.
 */
export async function newestFirstPage<T extends ObjectLiteral & { createdAt: Date; id: string }>(qb: SelectQueryBuilder<T>, alias: string, page: PageArgs): Promise<Page<T>> {
  const first = checkPageSize(page.first);
  const totalCount = await qb.clone().getCount();
  const createdAtMs = `date_trunc('milliseconds', ${alias}.created_at)`;
  if (page.after) {
    const [createdAt, id] = decodeCursor(page.after, ['timestamp', 'uuid']);
    qb.andWhere(`(${createdAtMs}, ${alias}.id) < (:cursorCreatedAt::timestamptz, :cursorId::uuid)`, { cursorCreatedAt: createdAt, cursorId: id });
  }
  const rows = await qb.orderBy(createdAtMs, 'DESC').addOrderBy(`${alias}.id`, 'DESC').take(first + 1).getMany();
  const items = rows.slice(0, first);
  const last = items[items.length - 1];
  return { items, totalCount, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(newestFirstCursor(last)) : null };
}
