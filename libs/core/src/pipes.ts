import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is refused at the edge as BAD_USER_INPUT, before any query. */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string | null | undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): string | null | undefined {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw DomainError.badInput([{ field: metadata.data ?? 'id', message: 'Not a valid id' }]);
    }
    return value.toLowerCase();
  }
}
