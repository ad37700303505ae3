import { DomainError, type ErrorCode } from '@taskcluster-queue/core';
import { AuthenticationFailed } from '../auth/auth-error';

/** The one table from error code to HTTP status. */
export const STATUS_OF: Readonly<Record<ErrorCode | 'MalformedPayload' | 'InternalServerError', number>> = {
  MalformedPayload: 400,
  InvalidRequestArguments: 400,
  InputValidationError: 400,
  InputError: 400,
  AuthenticationFailed: 401,
  InsufficientScopes: 403,
  ResourceNotFound: 404,
  RequestConflict: 409,
  ResourceExpired: 410,
  InputTooLarge: 413,
  InternalServerError: 500,
};

/** An error the edge itself raises (bad JSON, oversized body) before core sees the request. */
export class HttpError extends Error {
  constructor(
    readonly code: keyof typeof STATUS_OF,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorReply {
  readonly status: number;
  readonly body: { code: string; message: string; requestInfo: Record<string, unknown> };
  /** Unexpected: report it (Sentry), and say nothing of its internals. */
  readonly unexpected: boolean;
}

export const errorReply = (error: unknown, requestInfo: Record<string, unknown>): ErrorReply => {
  if (error instanceof DomainError || error instanceof HttpError) {
    return { status: STATUS_OF[error.code], body: { code: error.code, message: error.message, requestInfo }, unexpected: false };
  }
  if (error instanceof AuthenticationFailed) {
    return { status: 401, body: { code: 'AuthenticationFailed', message: error.message, requestInfo }, unexpected: false };
  }
  return {
    status: 500,
    body: { code: 'InternalServerError', message: 'Internal Server Error; the error was logged', requestInfo },
    unexpected: true,
  };
};
