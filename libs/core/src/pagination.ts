import { DomainError } from './errors';
import { isUuid } from './pipes';

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

/**
 * What each part of a cursor must be. Cursors come back from clients, so a forged one is checked
 * part by part and refused as BAD_USER_INPUT before it can reach (and fail in) a query.
 */
export type CursorPart = 'text' | 'uuid' | 'timestamp' | 'integer';

const CURSOR_PARTS: Record<CursorPart, (part: unknown) => boolean> = {
  text: (p) => typeof p === 'string' && p.length <= 1000 && !p.includes('\u0000'),
  uuid: isUuid,
  // Exactly what toISOString() writes, so PostgreSQL never sees an impossible date.
  timestamp: (p) => typeof p === 'string' && !Number.isNaN(Date.parse(p)) && new Date(p).toISOString() === p,
  integer: (p) => typeof p === 'string' && /^\d{1,18}$/.test(p),
};

export function decodeCursor(cursor: string, shape: readonly CursorPart[]): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => CURSOR_PARTS[shape[i]](p))) {
      return parts as string[];
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
