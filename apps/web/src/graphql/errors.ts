import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';

/** The api's `extensions.code` values the interface has words for (libs/core/src/errors.ts). */
export const ERROR_CODES = [
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'INVALID_TRANSITION', 'RATE_LIMITED',
  'INVALID_CREDENTIALS', 'INVITATION_EXPIRED', 'INVITATION_USED', 'TOKEN_INVALID', 'SIGN_UP_NOT_ALLOWED', 'LIMIT_EXCEEDED',
  'NOT_ALLOWED_IN_PHASE', 'BLOCKED', 'WORD_LIMIT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number] | 'NETWORK' | 'UNKNOWN';

export interface FieldProblem {
  field: string;
  message: string;
}

/** What went wrong, in the terms the interface explains: a code and the fields it concerns. */
export interface Problem {
  code: ErrorCode;
  fields: FieldProblem[];
  /** What the api told about the error besides its code and fields (a word count and its limits, say). */
  details: Record<string, unknown>;
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return typeof value === 'object' && value !== null && typeof (value as FieldProblem).field === 'string' && typeof (value as FieldProblem).message === 'string';
}

function fromGraphQLErrors(errors: readonly GraphQLFormattedError[]): Problem {
  const code = errors[0]?.extensions?.['code'];
  const known = ERROR_CODES.find((c) => c === code);
  const fields = errors.flatMap((e) => {
    const list = e.extensions?.['fields'];
    return Array.isArray(list) ? list.filter(isFieldProblem) : [];
  });
  const { code: _code, fields: _fields, ...details } = errors[0]?.extensions ?? {};
  // Variable coercion errors (a wrong type in a field) are GraphQL's own; they are bad input too.
  return { code: known ?? (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_REQUEST' ? 'BAD_USER_INPUT' : 'UNKNOWN'), fields, details };
}

/** GraphQL answers with status 400 for some bad input; its body still carries typed errors. */
function errorsInBody(bodyText: string): readonly GraphQLFormattedError[] | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
    return Array.isArray(errors) && errors.length ? (errors as GraphQLFormattedError[]) : undefined;
  } catch {
    return undefined;
  }
}

export function problemOf(error: unknown): Problem {
  if (CombinedGraphQLErrors.is(error)) return fromGraphQLErrors(error.errors);
  if (ServerError.is(error)) {
    const errors = errorsInBody(error.bodyText);
    if (errors) return fromGraphQLErrors(errors);
    return { code: error.statusCode >= 500 ? 'UNKNOWN' : 'NETWORK', fields: [], details: {} };
  }
  if (error instanceof TypeError) return { code: 'NETWORK', fields: [], details: {} };
  return { code: 'UNKNOWN', fields: [], details: {} };
}
