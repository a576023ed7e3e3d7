import { hash as digest, randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { DomainError, FieldProblem } from '@quire/core';

/** A fresh unguessable token for links and sessions (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256: fast to look up, useless if the table leaks. */
export function hashToken(token: string): string {
  // The one-shot digest: every request hashes its token, and a Hash object per call cost more.
  return digest('sha256', token, 'hex');
}

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function passwordProblems(password: string, field = 'password'): FieldProblem[] {
  if (password.length < PASSWORD_MIN) return [{ field, message: `Use at least ${PASSWORD_MIN} characters` }];
  if (password.length > PASSWORD_MAX) return [{ field, message: `Use at most ${PASSWORD_MAX} characters` }];
  return [];
}

export async function hashPassword(password: string): Promise<string> {
  const problems = passwordProblems(password);
  if (problems.length) throw DomainError.badInput(problems);
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash || password.length > PASSWORD_MAX) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Hash of a random password: verifying against it costs the same as a real one (no timing oracle). */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash(newToken(), ARGON2);
  return decoyHash;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
export function emailProblems(email: string, field = 'email'): FieldProblem[] {
  return EMAIL.test(email) && email.length <= 320 ? [] : [{ field, message: 'Not an e-mail address' }];
}
