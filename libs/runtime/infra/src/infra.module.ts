import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { QUIRE_CONFIG } from '@quire/config';
import { PUB_SUB } from '@quire/core';
import { dataSourceOptions } from '@quire/db';
import { createRedis, REDIS } from '@quire/queue';
import { RuntimeOptions } from './runtime-options';

export const RUNTIME_OPTIONS = Symbol('RUNTIME_OPTIONS');

const requestIds = new WeakMap<IncomingMessage, string>();

/**
 * A request's id: the caller's `x-request-id` when it is a plain token, a new UUID otherwise. The
 * HTTP server and the request logger both ask; whoever asks first decides, so both carry one id.
 */
export function requestIdFor(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** Paths of the links Quire e-mails, whose last segment is the secret (an invitation, a reset). */
const SECRET_LINK = /^(\/(?:invitation|reset-password)\/)[^/?#]+/;

/**
 * What a log line says of its request: its id, method and path. A query string can carry anything
 * (GraphQL variables over GET, an OpenID Connect callback's code) and the links Quire e-mails carry
 * their token in the path, so the path is kept with such a token masked, without the query;
 * headers are left out (credentials). Kept small, as pino serializes a request's logger when it
 * is made, for every request whatever the log level.
 */
function loggedRequest(req: { id?: unknown; method?: string; url?: string }): Record<string, unknown> {
  return { id: req.id, method: req.method, url: (req.url ?? '').split('?')[0].replace(SECRET_LINK, '$1[redacted]') };
}

/**
 * Health checks and metric scrapes come every few seconds and say nothing about a request. The
 * logger runs as middleware mounted for every path, which sees the path after the mount in `url`
 * and the whole one in `originalUrl`.
 */
function isProbe(url: string): boolean {
  return url.startsWith('/health') || url === '/metrics';
}

/**
 * Connections every process shares: configuration, PostgreSQL (TypeORM), Redis, GraphQL pub/sub
 * over Redis, and structured JSON logs that carry a request id.
 */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config } = options;
    return {
      module: InfraModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: requestIdFor,
            // Never log credentials: requests are logged without headers, responses without cookies.
            redact: ['res.headers["set-cookie"]'],
            serializers: { req: loggedRequest },
            // A line per request is logged at info; below that level, not even its listeners are set up.
            autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel)
              ? { ignore: (req: IncomingMessage & { originalUrl?: string }) => isProbe(req.originalUrl ?? req.url ?? '') }
              : false,
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(options.databaseUrl), autoLoadEntities: true }),
      ],
      providers: [
        { provide: RUNTIME_OPTIONS, useValue: options },
        { provide: QUIRE_CONFIG, useValue: config },
        { provide: REDIS, useFactory: () => createRedis(options.redisUrl) },
        {
          provide: PUB_SUB,
          useFactory: () =>
            new RedisPubSub({
              publisher: createRedis(options.redisUrl),
              subscriber: createRedis(options.redisUrl),
              connectionListener: () => undefined,
            }),
        },
      ],
      exports: [RUNTIME_OPTIONS, QUIRE_CONFIG, REDIS, PUB_SUB],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pubSub.close();
    this.redis.disconnect();
  }
}
