import type { ServerResponse } from 'node:http';
import type { Ctx } from './types.js';

const JSON_TYPE = 'application/json; charset=utf-8';

function alive(res: ServerResponse): boolean {
  return !res.headersSent && !res.destroyed && !res.writableEnded;
}

export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (!alive(res)) return;
  res.writeHead(status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendRaw(res, status, JSON.stringify(value), { 'content-type': JSON_TYPE });
}

/** `{"success":true,"message":"","data":...}` (common.ApiSuccess). */
export function apiSuccess(ctx: Ctx, data: unknown): void {
  sendJson(ctx.res, 200, { success: true, message: '', data });
}

/** `{"success":false,"message":...}` with HTTP 200 (common.ApiErrorMsg) unless told otherwise. */
export function apiError(ctx: Ctx, message: string, status = 200): void {
  sendJson(ctx.res, status, { success: false, message });
}

/** NoRoute → RelayNotFound. */
export function notFound(ctx: Ctx): void {
  sendJson(ctx.res, 404, {
    error: {
      message: `Invalid URL (${ctx.method} ${ctx.path})`,
      type: 'invalid_request_error',
      param: '',
      code: '',
    },
  });
}

/** Middleware errors (abortWithOpenAiMessage): no `param` key, request id appended. */
export function middlewareError(ctx: Ctx, status: number, message: string, code = ''): void {
  sendJson(ctx.res, status, {
    error: { message: `${message} (request id: ${ctx.requestId})`, type: 'new_api_error', code },
  });
}

/** Controller errors (relay.go Relay): OpenAI shape with `param`, or Claude shape on /v1/messages. */
export function relayError(ctx: Ctx, status: number, message: string, code: string): void {
  const text = `${message} (request id: ${ctx.requestId})`;
  if (ctx.path.startsWith('/v1/messages')) {
    sendJson(ctx.res, status, { type: 'error', error: { type: 'new_api_error', message: text } });
  } else {
    sendJson(ctx.res, status, { error: { message: text, type: 'new_api_error', param: '', code } });
  }
}

/** The `X-Oneapi-Request-Id` value: 14 digits of local time + 8 digits of sequence. */
export function makeRequestId(seq: number, now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}${p(seq % 1e8, 8)}`;
}

/** Server-local date YYYY-MM-DD (check-in "today"). */
export function localDate(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** Go `strconv.Atoi`: optional sign, decimal digits only. */
export function atoi(value: string | undefined | null): number | undefined {
  if (value == null || !/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
