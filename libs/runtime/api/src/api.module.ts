import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { GraphQLContext } from '@quire/core';
import { IdentityModule, SessionsService, tokenFromRequest } from '@quire/domain/identity';
import { ManuscriptsModule } from '@quire/domain/manuscripts';
import { NominationsModule } from '@quire/domain/nominations';
import { NotificationsModule } from '@quire/domain/notifications';
import { VotingModule } from '@quire/domain/voting';
import { InfraModule, RuntimeOptions } from '@quire/runtime/infra';
import { AccessGuard } from './access.guard';
import { DomainErrorFilter, faultIn, faultLog, formatGraphQLError, logFault } from './errors';
import { HealthController } from './health.controller';
import { Metrics, MetricsController } from './metrics';
import { complexityLimitPlugin, depthLimitRule, socketOperationLimits } from './query-limits';

/** What graphql-ws gives a subscription's context: the upgrade request and the connection parameters. */
type SocketContext = { extra: { request: IncomingMessage }; connectionParams?: Record<string, unknown> };

/** Builds each operation's context: who is asking (session cookie or bearer token), request id, loaders. */
async function buildContext(sessions: SessionsService, input: FastifyRequest | SocketContext, reply?: FastifyReply): Promise<GraphQLContext> {
  if ('extra' in input) {
    const req = input.extra.request;
    const param = input.connectionParams?.authorization;
    const token = typeof param === 'string' ? param.replace(/^Bearer /, '') : tokenFromRequest(req);
    const requestId = randomUUID();
    return { req, requestId, actor: await sessions.actorForToken(token, requestId), loaders: new Map() };
  }
  return { req: input, res: reply, requestId: input.id, actor: await sessions.actorForToken(tokenFromRequest(input), input.id), loaders: new Map() };
}

/** An error as it leaves over graphql-ws: formatted (and a fault logged) as over HTTP. */
function socketError(error: GraphQLError, requestId?: string): GraphQLError {
  const fault = faultIn(error);
  if (fault) logFault(fault, requestId);
  const formatted = formatGraphQLError(error.toJSON(), error);
  return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
}

@Module({})
export class ApiModule {
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
                onNext: (_ctx: unknown, _id: string, _payload: unknown, args: ExecutionArgs, result: ExecutionResult) =>
                  result.errors?.length ? { ...result, errors: result.errors.map((error) => socketError(error, (args.contextValue as GraphQLContext | undefined)?.requestId)) } : undefined,
              },
            },
            // Over HTTP, Fastify's request and reply; over graphql-ws, the socket's context.
            context: (input: FastifyRequest | SocketContext, reply?: FastifyReply) => buildContext(sessions, input, reply),
            formatError: formatGraphQLError,
            validationRules: [depthLimitRule(config.graphql.maxDepth)],
            // Apollo's cache-control plugin (installed unless disabled) wraps every field's resolver
            // to gather cache hints for HTTP caching, which Quire's responses never use; the inline
            // trace plugin serves federated gateways, which Quire is not behind.
            plugins: [
              ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(),
              complexityLimitPlugin(() => schemaHost.schema, config.graphql.maxComplexity), faultLog,
            ],
            includeStacktraceInErrorResponses: false,
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [Metrics, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_FILTER, useClass: DomainErrorFilter }],
    };
  }

}
