import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Ids are UUIDs; anything else is refused at the edge as BAD_USER_INPUT, before any query. */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string | null | undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (!isUuid(value)) {
      throw DomainError.badInput([{ field: metadata.data ?? 'id', message: 'Not a valid id' }]);
    }
    return value.toLowerCase();
  }
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying it would fail deep inside a query as an
 * internal error. Every resolver argument passes here first and such input is BAD_USER_INPUT.
 */
@Injectable()
export class TextPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Custom parameter decorators (actor, context) hand over server objects, not client input.
    if (metadata.type === 'custom') return value;
    const field = pathOfNul(value, metadata.data ?? 'input');
    if (field) throw DomainError.badInput([{ field, message: 'Contains a NUL character' }]);
    return value;
  }
}

function pathOfNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNul(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
