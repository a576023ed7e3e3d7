import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { ExecutionResult, GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { GraphQLContext } from '@quire/core';
import { IdentityModule, SessionsService, tokenFromRequest } from '@quire/domain/identity';
import { ManuscriptsModule } from '@quire/domain/manuscripts';
import { NominationsModule } from '@quire/domain/nominations';
import { NotificationsModule } from '@quire/domain/notifications';
import { VotingModule } from '@quire/domain/voting';
import { InfraModule, RuntimeOptions } from '@quire/runtime/infra';
import { AccessGuard } from './access.guard';
import { DomainErrorFilter, formatGraphQLError } from './errors';
import { HealthController } from './health.controller';
import { Metrics, MetricsController, MetricsMiddleware } from './metrics';
import { complexityLimitPlugin, depthLimitRule, socketOperationLimits } from './query-limits';
import { WebAppPagesMiddleware } from './web-app';

type HttpContext = { req: Request & { id?: string }; res: Response };
type WsExtra = { request: Request & { id?: string } };

/** Builds each operation's context: who is asking (session cookie or bearer token), request id, loaders. */
async function buildContext(sessions: SessionsService, input: HttpContext | { extra: WsExtra; connectionParams?: Record<string, unknown> }): Promise<GraphQLContext> {
  if ('extra' in input) {
    const req = input.extra.request;
    const param = input.connectionParams?.authorization;
    const token = typeof param === 'string' ? param.replace(/^Bearer /, '') : tokenFromRequest(req);
    const requestId = randomUUID();
    return { req, requestId, actor: await sessions.actorForToken(token, requestId), loaders: new Map() };
  }
  const { req, res } = input;
  const requestId = String(req.id ?? randomUUID());
  return { req, res, requestId, actor: await sessions.actorForToken(tokenFromRequest(req), requestId), loaders: new Map() };
}

/** An error as it leaves over graphql-ws: formatted as Apollo formats those it sends over HTTP. */
function socketError(error: GraphQLError): GraphQLError {
  const formatted = formatGraphQLError(error.toJSON(), error);
  return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
}

@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: RuntimeOptions, alongside: DynamicModule[] = []): DynamicModule {
    const { config } = options;
    return {
      module: ApiModule,
      imports: [
        InfraModule.forRoot(options),
        ...alongside,
        IdentityModule,
        NominationsModule,
        NotificationsModule,
        VotingModule,
        ManuscriptsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule],
          inject: [SessionsService, GraphQLSchemaHost],
          useFactory: (sessions: SessionsService, schemaHost: GraphQLSchemaHost) => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            introspection: true,
            playground: false,
            subscriptions: {
              // Each subscription's context is built like an HTTP request's, from the upgrade's
              // cookie or an `authorization` connection parameter.
              'graphql-ws': {
                path: '/graphql',
                onSubscribe: socketOperationLimits(() => schemaHost.schema, config.graphql, socketError),
                // Operations over the socket bypass Apollo's formatError; give their errors the same codes.
                onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
                  result.errors?.length ? { ...result, errors: result.errors.map(socketError) } : undefined,
              },
            },
            context: (input: HttpContext | { extra: WsExtra; connectionParams?: Record<string, unknown> }) => buildContext(sessions, input),
            formatError: formatGraphQLError,
            validationRules: [depthLimitRule(config.graphql.maxDepth)],
            plugins: [complexityLimitPlugin(() => schemaHost.schema, config.graphql.maxComplexity)],
            includeStacktraceInErrorResponses: false,
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [Metrics, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsMiddleware, WebAppPagesMiddleware).forRoutes('*');
  }
}
