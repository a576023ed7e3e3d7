import { DomainError } from './errors';

/** Relay-style cursors: an opaque base64url of the sort key, so clients never build them. */
export interface PageArgs {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'string' || typeof p === 'number')) {
      return parts;
    }
  } catch {
    // fall through to the typed error below
  }
  throw DomainError.badInput([{ field: 'after', message: 'Unknown cursor' }]);
}

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw DomainError.badInput([{ field: 'first', message: `Must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}
