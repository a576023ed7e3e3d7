import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Catch, HttpException, Logger, ValidationError } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem, GraphQLContext } from '@quire/core';

const logger = new Logger('GraphQL');

/**
 * The one place where errors become GraphQL errors: a domain error keeps its code and details,
 * GraphQL's own validation errors keep theirs, and anything else is reported as an internal error
 * without leaking its message (faultLog logs it).
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
  return { message: 'Something went wrong on our side', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * What formatGraphQLError reports as an internal error, or null for an answer: a domain or HTTP
 * error, or GraphQL's own parse, validation or variable-coercion error.
 */
export function faultIn(error: GraphQLError): Error | null {
  const original = error.originalError;
  if (!original || original instanceof DomainError || original instanceof HttpException) return null;
  const code = error.extensions?.['code'];
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? null : original;
}

/** Logs a fault with the request it broke, so the line can be found from the request's id. */
export function logFault(fault: Error, requestId: string | undefined): void {
  logger.error({ requestId, err: fault }, 'Something went wrong on our side');
}

const faultListener: GraphQLRequestListener<GraphQLContext> = {
  async didEncounterErrors({ contextValue, errors }) {
    for (const error of errors) {
      const fault = faultIn(error);
      if (fault) logFault(fault, contextValue.requestId);
    }
  },
};

/** Logs the faults among an operation's errors over HTTP, and a context that could not be built. */
export const faultLog: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return faultListener;
  },
  async contextCreationDidFail({ error }) {
    logFault(error, undefined);
  },
};

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
