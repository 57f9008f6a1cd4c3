import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders } from '../domain/header-rules.js';
import type { Route } from '../domain/route-table.js';
import { UsageTap } from '../domain/usage-tap.js';
import type { AttemptAbort } from './attempt-abort.js';
import type { RelayRequest } from './context.js';
import { streamErrorEvent } from './errors.js';
import type { AttemptOutcome } from './record.js';
import { drained, firstHeader } from './respond.js';
import { errorSummary } from './upstream.js';

const ERROR_CAPTURE_BYTES = 4096;

/**
 * Passes the upstream's answer to the client as it arrives: the same status, headers (minus
 * hop-by-hop) and bytes, with back-pressure, reading usage off a tap on the side. If the upstream
 * breaks off, an SSE stream ends with an error event in its own dialect; any other body is cut.
 * The response is ended only by `finish`, so the caller can record the attempt first: a client
 * that has its whole answer can count on its usage row being queued.
 */
export async function pipeResponse(
  request: RelayRequest,
  route: Route,
  upstream: Dispatcher.ResponseData,
  res: ServerResponse,
  attempt: number,
  abort: AttemptAbort,
  streams: (delta: 1 | -1) => void,
): Promise<{ outcome: AttemptOutcome; finish: () => void }> {
  const contentType = firstHeader(upstream.headers['content-type']);
  const isStream = /text\/event-stream/i.test(contentType);
  const encoding = firstHeader(upstream.headers['content-encoding']) || undefined;
  const tap = isStream
    ? new UsageTap('sse', encoding)
    : /json/i.test(contentType)
      ? new UsageTap('json', encoding)
      : undefined;
  const failed = upstream.statusCode >= 400;
  const captured: Buffer[] = [];
  let capturedBytes = 0;
  let firstByteMs = 0;
  let broken: unknown;

  res.writeHead(upstream.statusCode, clientResponseHeaders(upstream.headers));
  if (isStream) streams(1);
  // A JSON answer goes out in one write with its end; an SSE stream is flushed chunk by chunk.
  const corked = !isStream && /json/i.test(contentType);
  if (corked) res.cork();
  try {
    for await (const chunk of upstream.body) {
      const bytes = chunk as Buffer;
      if (firstByteMs === 0) firstByteMs = performance.now() - request.startedAt;
      tap?.push(bytes);
      if (failed && capturedBytes < ERROR_CAPTURE_BYTES) {
        captured.push(bytes);
        capturedBytes += bytes.length;
      }
      if (!res.write(bytes)) await drained(res);
      if (res.destroyed) throw new Error('client closed');
    }
  } catch (error) {
    broken = error;
  } finally {
    if (isStream) streams(-1);
  }

  const clientGone = res.destroyed && !res.writableFinished;
  if (broken !== undefined) {
    abort.abort();
    upstream.body.destroy();
  }
  const finish = () => {
    if (corked) res.uncork();
    if (clientGone) return;
    if (broken === undefined) res.end();
    else if (isStream) res.end(streamErrorEvent(request.endpoint.format, 'the upstream stream was interrupted'));
    else res.destroy();
  };
  const usage = await tap?.end();
  const outcome: AttemptOutcome = {
    route,
    attempt,
    ok: broken === undefined && !failed,
    httpStatus: upstream.statusCode,
    errorType: '',
    errorMessage: '',
    isStream,
    latencyMs: performance.now() - request.startedAt,
    firstByteMs: firstByteMs || performance.now() - request.startedAt,
    usage,
  };
  if (clientGone) {
    return {
      outcome: { ...outcome, ok: false, errorType: 'client_closed', errorMessage: 'the client disconnected' },
      finish,
    };
  }
  if (broken !== undefined) {
    return { outcome: { ...outcome, errorType: 'stream_interrupted', errorMessage: describeBreak(broken) }, finish };
  }
  if (isStream && tap && !tap.sawEnd) {
    // The bytes went through as sent; the record says the answer was cut short.
    return {
      outcome: {
        ...outcome,
        ok: false,
        errorType: 'stream_incomplete',
        errorMessage: 'the upstream ended the stream without its end marker',
      },
      finish,
    };
  }
  if (failed) {
    const body = Buffer.concat(captured);
    return {
      outcome: {
        ...outcome,
        errorType: 'upstream_status',
        errorMessage: errorSummary(body),
        errorBody: body.toString('utf8'),
      },
      finish,
    };
  }
  return { outcome, finish };
}

function describeBreak(error: unknown): string {
  const name = (error as { name?: string }).name ?? 'Error';
  if (/BodyTimeout/i.test(name)) return 'the upstream went silent (idle timeout)';
  if (/Abort|Timeout/i.test(name)) return 'the attempt reached its time limit';
  return `the upstream connection broke (${(error as { code?: string }).code ?? name})`;
}
