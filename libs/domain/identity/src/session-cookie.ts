import type { FastifyReply } from 'fastify';
import type { ContextRequest } from '@quire/core';
import { QuireConfig } from '@quire/config';

export const SESSION_COOKIE = 'quire_session';

/** The web app's session travels in an httpOnly, SameSite=Lax cookie; API clients send a bearer token. */
export function tokenFromRequest(req: ContextRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  return req.cookies?.[SESSION_COOKIE] ?? cookieFromHeader(req.headers.cookie);
}

/** For WebSocket upgrades, whose cookies nobody has parsed. */
function cookieFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function setSessionCookie(res: FastifyReply | undefined, config: QuireConfig, token: string, expiresAt: Date): void {
  res?.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, expires: expiresAt, path: '/' });
}

export function clearSessionCookie(res: FastifyReply | undefined, config: QuireConfig): void {
  res?.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/' });
}
