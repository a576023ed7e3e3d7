import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule, contextFrom, DomainError } from '@quire/core';

/**
 * Deny by default: a GraphQL operation runs only if its resolver declares who may call it with
 * `@Access`. Project roles are then checked by the domain service that owns the record.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) throw DomainError.forbidden('This operation declares no access rule');
    if (rule === 'public') return true;
    const { actor } = contextFrom(context);
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    if (rule === 'installationAdmin' && !actor.installationAdmin) throw DomainError.forbidden('Only an installation admin may do this');
    return true;
  }
}
