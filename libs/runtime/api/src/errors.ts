import { Catch, HttpException, Logger, ValidationError } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem } from '@quire/core';

const logger = new Logger('GraphQL');

/**
 * The one place where errors become GraphQL errors: a domain error keeps its code and details,
 * GraphQL's own validation errors keep theirs, and anything else is logged and reported as an
 * internal error without leaking its message.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const code = status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT;
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code } };
  }
  const code = formatted.extensions?.code;
  if (!original || (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR')) {
    // Parse, validation and variable-coercion errors from GraphQL itself: already typed.
    return { ...formatted, extensions: { code: code ?? 'GRAPHQL_VALIDATION_FAILED' } };
  }
  logger.error(original instanceof Error ? original.stack ?? original.message : String(original));
  return { message: 'Something went wrong on our side', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** class-validator failures on input types become BAD_USER_INPUT with one problem per field. */
export function validationErrorFactory(errors: ValidationError[]): DomainError {
  const fields: FieldProblem[] = [];
  const walk = (list: ValidationError[], prefix: string): void => {
    for (const e of list) {
      const field = prefix ? `${prefix}.${e.property}` : e.property;
      for (const message of Object.values(e.constraints ?? {})) fields.push({ field, message });
      if (e.children?.length) walk(e.children, field);
    }
  };
  walk(errors, '');
  return DomainError.badInput(fields);
}

const UNIQUE_VIOLATION = '23505';

/**
 * Domain errors are answers, not faults: pass them to formatGraphQLError without logging them. A
 * unique-index violation means a concurrent request won the race past the domain's own check
 * (two sign-ups for one address, two projects with one slug): the same answer, CONFLICT.
 */
@Catch(DomainError, QueryFailedError)
export class DomainErrorFilter implements GqlExceptionFilter {
  catch(error: DomainError | QueryFailedError): Error {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
      return new DomainError(ErrorCode.CONFLICT, 'This conflicts with a change made at the same moment; reload and try again');
    }
    return error;
  }
}
