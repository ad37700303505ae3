/**
 * Domain errors carry Taskcluster's error codes. The HTTP edge maps each code to a status in one
 * table; library users can branch on `code`.
 */
export type ErrorCode =
  | 'InputError'
  | 'InputValidationError'
  | 'InvalidRequestArguments'
  | 'AuthenticationFailed'
  | 'InsufficientScopes'
  | 'ResourceNotFound'
  | 'RequestConflict'
  | 'ResourceExpired'
  | 'InputTooLarge';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const inputError = (message: string, details?: Record<string, unknown>) =>
  new DomainError('InputError', message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError('ResourceNotFound', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError('RequestConflict', message, details);
export const expired = (message: string, details?: Record<string, unknown>) =>
  new DomainError('ResourceExpired', message, details);

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

/**
 * Thrown by a storage port when a conditional write finds another version than the one it was
 * given (or finds a record where it required absence). Not a domain error: use cases catch it,
 * re-read and retry, so it never reaches a caller unless retries are exhausted.
 */
export class WriteConflict extends Error {
  constructor(message = 'the record changed since it was read') {
    super(message);
    this.name = 'WriteConflict';
  }
}
