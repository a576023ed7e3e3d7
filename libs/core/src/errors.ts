/**
 * Every failure a caller can act on has a code. The API maps these to `extensions.code` in one
 * place (runtime/api), so the web app and API clients can switch on them.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  RATE_LIMITED = 'RATE_LIMITED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVITATION_EXPIRED = 'INVITATION_EXPIRED',
  INVITATION_USED = 'INVITATION_USED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  SIGN_UP_NOT_ALLOWED = 'SIGN_UP_NOT_ALLOWED',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** The round's current phase does not allow this action for anyone. */
  NOT_ALLOWED_IN_PHASE = 'NOT_ALLOWED_IN_PHASE',
  /** A moderator blocked this person from taking part in the project. */
  BLOCKED = 'BLOCKED',
  /** A portrait's word count is outside the project's limits for this workflow step. */
  WORD_LIMIT = 'WORD_LIMIT',
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: FieldProblem[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id?: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found` : `${what} was not found`);
  }

  static forbidden(message = 'You are not allowed to do this'): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }

  static unauthenticated(): DomainError {
    return new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
  }

  static badInput(fields: FieldProblem[], message = 'The input is not valid'): DomainError {
    return new DomainError(ErrorCode.BAD_USER_INPUT, message, { fields });
  }

  static invalidTransition(entity: string, from: string, action: string): DomainError {
    return new DomainError(ErrorCode.INVALID_TRANSITION, `A ${entity} in state ${from} cannot ${action}`, { from, action });
  }
}
