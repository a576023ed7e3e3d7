import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

/** A request's id: the caller's `x-request-id` when it is a plain token, a new UUID otherwise. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/** Paths of the links Quire e-mails, whose last segment is the secret (an invitation, a reset). */
const SECRET_LINK = /^(\/(?:invitation|reset-password)\/)[^/?#]+/;

/**
 * What a log line says of its request: its id, method and path. A query string can carry anything
 * (GraphQL variables over GET, an OpenID Connect callback's code) and the links Quire e-mails carry
 * their token in the path, so the path is kept with such a token masked, without the query;
 * headers are left out (credentials).
 */
function loggedRequest(request: FastifyRequest): Record<string, unknown> {
  return { id: request.id, method: request.method, url: request.url.split('?')[0].replace(SECRET_LINK, '$1[redacted]') };
}

/** Health checks and metric scrapes come every few seconds and say nothing about a request. */
function isProbe(url: string): boolean {
  return url.startsWith('/health') || url === '/metrics';
}

/**
 * A line per answered request at info level, as pino-http writes it. The api writes it from a
 * Fastify hook rather than through pino-http's middleware (nestjs-pino's), which keeps each
 * request's logger in an AsyncLocalStorage: on Node 20 one in use puts a hook on every promise of
 * the process, about a seventh of a small request's CPU. Log lines written while a request runs
 * name it themselves where it matters (see internalErrorLog).
 */
export function logRequests(server: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  server.addHook('onResponse', (request, reply, done) => {
    if (!isProbe(request.url)) {
      logger.info({ req: loggedRequest(request), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    }
    done();
  });
}
