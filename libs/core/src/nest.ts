import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import DataLoader from 'dataloader';
import { Actor, ANONYMOUS } from './actor';

/**
 * Who may call a resolver. Every resolver must declare one (deny by default): the API's guard
 * refuses any operation whose resolver has no declaration. Project roles are checked by the
 * domain service, which knows which project a record belongs to.
 */
export type AccessRule = 'public' | 'signedIn' | 'installationAdmin';
export const ACCESS_KEY = 'quire:access';
export const Access = (rule: AccessRule): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, rule);

/** What resolvers read of a request, over HTTP (Fastify's request) or a socket (the upgrade request). */
export interface ContextRequest {
  headers: IncomingHttpHeaders;
  cookies?: Record<string, string | undefined>;
  /** The caller's address; HTTP only. */
  ip?: string;
}

export interface GraphQLContext {
  req: ContextRequest;
  /** HTTP only: where resolvers set cookies. */
  res?: FastifyReply;
  actor: Actor;
  requestId: string;
  /** Per-request DataLoaders, created on first use, so batching never leaks between requests. */
  loaders: Map<unknown, DataLoader<unknown, unknown>>;
}

export function contextFrom(context: ExecutionContext): GraphQLContext {
  return GqlExecutionContext.create(context).getContext<GraphQLContext>();
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const ctx = contextFrom(context);
  return ctx.actor ?? ANONYMOUS;
});

export const CurrentContext = createParamDecorator((_data: unknown, context: ExecutionContext): GraphQLContext => contextFrom(context));

export function loader<K, V>(ctx: GraphQLContext, key: unknown, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  let existing = ctx.loaders.get(key) as DataLoader<K, V> | undefined;
  if (!existing) {
    existing = new DataLoader<K, V>(batch);
    ctx.loaders.set(key, existing as unknown as DataLoader<unknown, unknown>);
  }
  return existing;
}

/** Nest injection token for the GraphQL subscription pub/sub (Redis-backed, shared by instances). */
export const PUB_SUB = Symbol('PUB_SUB');
