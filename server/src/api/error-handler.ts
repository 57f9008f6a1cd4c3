import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, appError, type ErrorCode } from '../errors/catalogue.js';

/** Fastify's own request errors, translated into the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return appError(mapped, mapped === 'BAD_REQUEST' ? describeBodyError(fastifyError) : undefined);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return appError('BAD_REQUEST', 'the request body is not valid JSON');
  }
  if (fastifyError.statusCode === 429) return appError('RATE_LIMITED');
  return appError('INTERNAL');
}

function describeBodyError(error: FastifyError): string {
  return error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ? 'the request body is empty but its content type is JSON'
    : 'the request body is not valid JSON';
}

/** One error handler for the admin API: a coded JSON envelope, never a stack trace. */
export function apiErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appErr = toAppError(error);
  if (appErr.status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(appErr.status).send({ success: false, message: appErr.message, code: appErr.code });
}
