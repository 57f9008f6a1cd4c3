import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { UpstreamError } from './errors.js';

export interface ManagementCall {
  baseUrl: string;
  path: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  timeoutMs: number;
  dispatcher: Dispatcher;
}

/** Bodies larger than this are not a NewAPI answer; reading stops there. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * One management API call: JSON in, JSON out, every failure classified. The whole call, body
 * included, is bounded by `timeoutMs`.
 */
export async function callJson(call: ManagementCall): Promise<{ status: number; body: unknown }> {
  const url = joinUrl(call.baseUrl, call.path);
  const signal = AbortSignal.timeout(call.timeoutMs);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: call.method ?? 'GET',
      headers: call.headers,
      dispatcher: call.dispatcher,
      signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
  } catch (error) {
    throw classify(error, signal);
  }
  let text: string;
  try {
    text = await readLimited(response.body);
  } catch (error) {
    throw classify(error, signal);
  }
  if (response.statusCode === 401 || response.statusCode === 403) {
    throw new UpstreamError(
      'auth',
      `upstream refused the credentials (HTTP ${response.statusCode}): ${summary(text)}`,
      response.statusCode,
    );
  }
  if (response.statusCode >= 400) {
    throw new UpstreamError(
      'http',
      `upstream answered HTTP ${response.statusCode}: ${summary(text)}`,
      response.statusCode,
    );
  }
  try {
    return { status: response.statusCode, body: JSON.parse(text) as unknown };
  } catch {
    throw new UpstreamError(
      'malformed',
      `upstream answered HTTP ${response.statusCode} with a body that is not JSON`,
      response.statusCode,
    );
  }
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new UpstreamError('malformed', `upstream answer is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function classify(error: unknown, signal: AbortSignal): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (
    signal.aborted ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new UpstreamError('timeout', 'upstream did not answer in time');
  }
  const code = (error as { code?: string }).code;
  return new UpstreamError('network', `cannot reach the upstream${code ? ` (${code})` : ''}`);
}

/** The first characters of an error body, on one line, for the sync report. */
function summary(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return '(empty body)';
  try {
    const parsed = JSON.parse(oneLine) as { message?: unknown; error?: { message?: unknown } };
    const message = parsed.message ?? parsed.error?.message;
    if (typeof message === 'string' && message) return message.slice(0, 200);
  } catch {
    // not JSON: show the text itself
  }
  return oneLine.slice(0, 200);
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}
