import type { ErrorFormat } from '../domain/relay-endpoints.js';

/**
 * The relay's own errors, in the shape the client's SDK understands: OpenAI's
 * `{error:{message,type,code}}` everywhere, Anthropic's `{type:'error',error:{type,message}}` on
 * /v1/messages.
 */
export interface RelayError {
  status: number;
  message: string;
  type: string;
  code: string;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
};

export function relayErrorBody(format: ErrorFormat, error: RelayError): Record<string, unknown> {
  if (format === 'anthropic') {
    return { type: 'error', error: { type: ANTHROPIC_TYPES[error.status] ?? 'api_error', message: error.message } };
  }
  return { error: { message: error.message, type: error.type, code: error.code } };
}

export const relayErrors = {
  missingKey: (): RelayError => ({
    status: 401,
    message: 'no API key provided; send it as "Authorization: Bearer ag-…"',
    type: 'authentication_error',
    code: 'invalid_api_key',
  }),
  invalidKey: (why: string): RelayError => ({
    status: 401,
    message: why,
    type: 'authentication_error',
    code: 'invalid_api_key',
  }),
  ipNotAllowed: (ip: string): RelayError => ({
    status: 403,
    message: `this key may not be used from ${ip}`,
    type: 'permission_error',
    code: 'ip_not_allowed',
  }),
  modelNotAllowed: (model: string): RelayError => ({
    status: 403,
    message: `this key may not use the model ${model}`,
    type: 'permission_error',
    code: 'model_not_allowed',
  }),
  noRoute: (model: string): RelayError => ({
    status: 503,
    message: `no provider currently serves the model ${model}`,
    type: 'service_unavailable',
    code: 'model_not_found',
  }),
  badRequest: (message: string): RelayError => ({
    status: 400,
    message,
    type: 'invalid_request_error',
    code: 'invalid_request',
  }),
  tooLarge: (limit: number): RelayError => ({
    status: 413,
    message: `the request body is larger than ${Math.round(limit / 1024 / 1024)} MiB`,
    type: 'invalid_request_error',
    code: 'request_too_large',
  }),
  notFound: (method: string, path: string): RelayError => ({
    status: 404,
    message: `Invalid URL (${method} ${path})`,
    type: 'invalid_request_error',
    code: 'not_found',
  }),
  upstreamUnavailable: (detail: string): RelayError => ({
    status: 502,
    message: `no upstream could serve the request: ${detail}`,
    type: 'upstream_error',
    code: 'upstream_unavailable',
  }),
  internal: (): RelayError => ({
    status: 500,
    message: 'internal error',
    type: 'internal_error',
    code: 'internal_error',
  }),
};

/** The event that ends a stream the upstream broke off, in the stream's own dialect (never a fake [DONE]). */
export function streamErrorEvent(format: ErrorFormat, message: string): string {
  if (format === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`;
  }
  if (format === 'gemini') {
    return `data: ${JSON.stringify({ error: { code: 502, message, status: 'UNAVAILABLE' } })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'upstream_error', code: 'stream_interrupted' } })}\n\n`;
}
