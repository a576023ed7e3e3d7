import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A collaboration ticket: a short-lived, signed statement "user U may open document D until T",
 * issued by the GraphQL API and checked by any collab instance without a database round trip.
 * What U may do there (write or read) is decided by the collab instance when the connection opens
 * and again whenever access changes, so a ticket never outlives a permission.
 *
 * Format: `v1.<base64url JSON {u, d, e}>.<base64url HMAC-SHA256 of "v1.<payload>">`.
 */
export interface TicketClaims {
  userId: string;
  documentName: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type TicketProblem = 'malformed' | 'forged' | 'expired' | 'other-document';

export class TicketError extends Error {
  constructor(readonly problem: TicketProblem) {
    super(`Collaboration ticket refused: ${problem}`);
    this.name = 'TicketError';
  }
}

const VERSION = 'v1';
const MAX_TICKET_LENGTH = 1000;

function mac(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

export function signTicket(secret: string, claims: TicketClaims): string {
  const payload = Buffer.from(JSON.stringify({ u: claims.userId, d: claims.documentName, e: claims.expiresAt })).toString('base64url');
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

/** The ticket's claims if it is genuine, unexpired and for `documentName`; throws TicketError otherwise. */
export function verifyTicket(secret: string, ticket: string | null | undefined, documentName: string, now = Date.now()): TicketClaims {
  if (!ticket || ticket.length > MAX_TICKET_LENGTH) throw new TicketError('malformed');
  const parts = ticket.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw new TicketError('malformed');
  const signed = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(secret, signed);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TicketError('forged');
  let claims: { u?: unknown; d?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new TicketError('malformed');
  }
  if (typeof claims.u !== 'string' || typeof claims.d !== 'string' || typeof claims.e !== 'number') throw new TicketError('malformed');
  if (claims.e <= now) throw new TicketError('expired');
  if (claims.d !== documentName) throw new TicketError('other-document');
  return { userId: claims.u, documentName: claims.d, expiresAt: claims.e };
}

/**
 * The secret that signs tickets: the configured one, else one kept in `<dataDir>/collab-ticket-secret`
 * (created once, readable by its owner only), so the api and collab processes of one installation
 * agree without configuration when they share the data directory.
 */
export function resolveTicketSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'collab-ticket-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': exactly one process creates the file; the others read what it wrote.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('base64url'));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (let attempt = 0; ; attempt++) {
    const secret = readFileSync(file, 'utf8').trim();
    // A process that lost the race may read before the winner has written.
    if (secret.length >= 32 || attempt > 50) return secret;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}
