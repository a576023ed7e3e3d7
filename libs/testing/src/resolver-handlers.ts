import { INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { ACCESS_KEY } from '@quire/core';

export interface RootHandler {
  type: string;
  field: string;
  resolver: string;
  access: unknown;
}

/** Every query, mutation and subscription handler of the running app, with its access rule. */
export function rootHandlers(app: INestApplication): RootHandler[] {
  const scanner = new MetadataScanner();
  const providers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.providers.values()]);
  return providers.flatMap(({ instance }) => {
    if (!instance || typeof instance !== 'object') return [];
    const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const type: unknown = Reflect.getMetadata(RESOLVER_TYPE_METADATA, prototype[name]);
      if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') return [];
      const field = (Reflect.getMetadata(RESOLVER_NAME_METADATA, prototype[name]) as string | undefined) ?? name;
      const access: unknown = Reflect.getMetadata(ACCESS_KEY, prototype[name]) ?? Reflect.getMetadata(ACCESS_KEY, instance.constructor);
      return [{ type, field, resolver: instance.constructor.name, access }];
    });
  });
}
