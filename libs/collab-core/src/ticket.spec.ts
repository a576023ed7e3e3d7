import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTicketSecret, signTicket, TicketError, verifyTicket } from './ticket';

describe('collaboration tickets', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const claims = { userId: 'u1', documentName: 'portrait:1', expiresAt: 2_000_000 };

  const problem = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (error) {
      return error instanceof TicketError ? error.problem : 'other';
    }
    return undefined;
  };

  it('verifies what it signed, until it expires, for its document only', () => {
    const ticket = signTicket(secret, claims);
    expect(verifyTicket(secret, ticket, 'portrait:1', 1_000_000)).toEqual(claims);
    expect(problem(() => verifyTicket(secret, ticket, 'portrait:1', 2_000_000))).toBe('expired');
    expect(problem(() => verifyTicket(secret, ticket, 'portrait:2', 1_000_000))).toBe('other-document');
    expect(problem(() => verifyTicket('another-secret-of-thirty-two-characters', ticket, 'portrait:1', 1_000_000))).toBe('forged');
  });

  it('refuses changed claims and garbage', () => {
    const [v, , sig] = signTicket(secret, claims).split('.');
    const longer = Buffer.from(JSON.stringify({ ...{ u: 'u1', d: 'portrait:1' }, e: 9_999_999 })).toString('base64url');
    expect(problem(() => verifyTicket(secret, `${v}.${longer}.${sig}`, 'portrait:1', 1_000_000))).toBe('forged');
    const cases: [string | null, string][] = [[null, 'malformed'], ['', 'malformed'], ['v1', 'malformed'], ['v2.a.b', 'malformed'], ['v1.a.b.c', 'malformed'], ['v1.a.b', 'forged'], ['x'.repeat(2000), 'malformed']];
    for (const [garbage, expected] of cases) expect(problem(() => verifyTicket(secret, garbage, 'portrait:1', 0))).toBe(expected);
  });

  it('keeps one secret per data directory when none is configured', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-ticket-'));
    try {
      const first = resolveTicketSecret(undefined, dir);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(resolveTicketSecret(undefined, dir)).toBe(first);
      expect(readFileSync(join(dir, 'collab-ticket-secret'), 'utf8')).toBe(first);
      expect(statSync(join(dir, 'collab-ticket-secret')).mode & 0o077).toBe(0);
      expect(resolveTicketSecret(secret, dir)).toBe(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
