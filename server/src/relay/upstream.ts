import type { Dispatcher } from 'undici';
import { upstreamQuery, upstreamRequestHeaders } from '../domain/header-rules.js';
import type { Route } from '../domain/route-table.js';
import type { AttemptAbort } from './attempt-abort.js';
import type { RelayDeps, RelayRequest } from './context.js';
import { upstreamTarget } from './upstream-url.js';

/**
 * One call to one upstream: the client's method, path, query and exact body bytes, with the
 * route's key in the client's auth header. Resolves when the response headers arrive.
 */
export function callUpstream(
  deps: RelayDeps,
  request: RelayRequest,
  route: Route,
  signal: AttemptAbort,
): Promise<Dispatcher.ResponseData> {
  const query = upstreamQuery(request.query, request.clientKey, route.skKey);
  const { origin, path } = upstreamTarget(`${route.baseUrl}${request.path}${query ? `?${query}` : ''}`);
  return deps.dispatcher.request({
    origin,
    path,
    method: request.method,
    headers: upstreamRequestHeaders(request.rawHeaders, request.clientKey, route.skKey),
    body: request.body.length > 0 ? request.body : undefined,
    signal,
    headersTimeout: deps.config.firstByteTimeoutMs,
    bodyTimeout: deps.config.idleTimeoutMs,
  });
}

/** Reads a (failed) upstream body for its error message, bounded. */
export async function readErrorBody(body: Dispatcher.ResponseData['body'], limit = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      size += buffer.length;
      if (size >= limit) break;
    }
  } catch {
    // a broken error body still leaves what arrived
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks);
}

/** The upstream's own words for an error body, for the log. */
export function errorSummary(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? undefined);
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
