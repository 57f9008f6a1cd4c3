/**
 * Every error the admin API can answer with, in one place: a stable machine code, the HTTP status,
 * and a default message. Call sites pass a more precise message when they have one.
 */
export const ERROR_CATALOGUE = {
  BAD_REQUEST: { status: 400, message: 'the request is malformed' },
  VALIDATION_FAILED: { status: 400, message: 'the request has invalid fields' },
  UNKNOWN_OPTION: { status: 400, message: 'no such option' },
  NOT_LOGGED_IN: { status: 401, message: 'not logged in' },
  INVALID_CREDENTIALS: { status: 401, message: 'wrong username or password' },
  INVALID_ACCESS_TOKEN: { status: 401, message: 'the access token is invalid' },
  WRONG_PASSWORD: { status: 400, message: 'the current password is wrong' },
  USER_DISABLED: { status: 403, message: 'this user is disabled' },
  FORBIDDEN: { status: 403, message: 'you are not allowed to do this' },
  CROSS_SITE_REQUEST: { status: 403, message: 'cross-site request refused' },
  REGISTRATION_DISABLED: { status: 403, message: 'registration is disabled' },
  PASSWORD_LOGIN_DISABLED: { status: 403, message: 'password login is disabled' },
  NOT_FOUND: { status: 404, message: 'not found' },
  USER_NOT_FOUND: { status: 404, message: 'user not found' },
  USERNAME_TAKEN: { status: 409, message: 'this username is taken' },
  CONFLICT: { status: 409, message: 'this conflicts with an existing record' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported content type; send application/json' },
  RATE_LIMITED: { status: 429, message: 'too many requests; try again later' },
  INTERNAL: { status: 500, message: 'internal error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'the service is unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export function appError(code: ErrorCode, message?: string): AppError {
  return new AppError(code, message);
}
