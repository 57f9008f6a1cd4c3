import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { classifyFailure, healthVerdict, isRetryableStatus, retryAfterMs } from '../domain/retry.js';
import { pickRoute } from '../domain/route-selection.js';
import type { Route } from '../domain/route-table.js';
import { AttemptAbort } from './attempt-abort.js';
import type { RelayDeps, RelayRequest } from './context.js';
import { relayErrors } from './errors.js';
import { pipeResponse } from './pipe.js';
import { usageRecord, type AttemptOutcome } from './record.js';
import { sendRelayError } from './respond.js';
import { callUpstream, errorSummary, readErrorBody } from './upstream.js';

/**
 * The attempt loop: pick a route (tier k on attempt k, never one already tried), call it, and move
 * on while the failure is the upstream's and nothing has reached the client. Every attempt is
 * recorded under the request's id.
 */
export async function proxyRequest(deps: RelayDeps, request: RelayRequest, res: ServerResponse): Promise<void> {
  const tiers = deps.routes().byModel.get(request.model);
  if (!tiers) {
    record(deps, request, failure(undefined, 0, 503, 'no_route', `no route for ${request.model}`, request), true);
    return sendRelayError(res, request.endpoint.format, relayErrors.noRoute(request.model));
  }
  const maxAttempts = 1 + Math.max(0, deps.retryTimes());
  const tried = new Set<number>();
  let lastProblem = 'no route was available';
  // An attempt is recorded once the next one starts, so the last can be marked final.
  let previous: AttemptOutcome | undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const route = pickHealthy(deps, tiers, attempt, tried);
    if (!route) break;
    tried.add(route.id);
    // Whether another attempt could follow: it depends on `tried` alone, so it is asked only when a failure makes it matter.
    const hasNext = () => attempt + 1 < maxAttempts && pickRoute(tiers, attempt + 1, tried, () => 0) !== undefined;
    const result = await runAttempt(deps, request, route, attempt + 1, hasNext, res);
    judge(deps, route, result.outcome);
    if (previous) record(deps, request, previous, false);
    previous = result.outcome;
    if (result.done) {
      record(deps, request, previous, true);
      return result.finish?.();
    }
    lastProblem = `${route.providerName}: ${result.outcome.errorMessage || result.outcome.errorType}`;
  }
  if (previous) record(deps, request, previous, true);
  sendRelayError(res, request.endpoint.format, relayErrors.upstreamUnavailable(lastProblem));
}

/**
 * The route for this attempt among those not resting; when every untried route rests, the one that
 * failed longest ago is tried rather than refusing the request. A route past its rest is probed.
 */
function pickHealthy(
  deps: RelayDeps,
  tiers: readonly (readonly Route[])[],
  attempt: number,
  tried: ReadonlySet<number>,
): Route | undefined {
  const now = deps.nowMs();
  // The tried routes plus the resting ones; made only when some route rests.
  let blocked: Set<number> | undefined;
  for (const tier of tiers) {
    for (const route of tier) {
      if (!tried.has(route.id) && deps.health.availability(route, now) === 'cooling') {
        (blocked ??= new Set(tried)).add(route.id);
      }
    }
  }
  const route =
    pickRoute(tiers, attempt, blocked ?? tried, deps.random) ??
    deps.health.leastRecentlyFailed(tiers.flat().filter((candidate) => !tried.has(candidate.id)));
  if (route && deps.health.availability(route, now) === 'probe') deps.health.beginProbe(route);
  return route;
}

function judge(deps: RelayDeps, route: Route, outcome: AttemptOutcome): void {
  const verdict = healthVerdict(outcome);
  if (verdict === 'success') deps.health.onSuccess(route);
  else if (verdict === 'neutral') deps.health.onNeutral(route);
  else
    deps.health.onFailure(
      route,
      deps.nowMs(),
      verdict,
      outcome.errorMessage || outcome.errorType,
      outcome.retryAfterMs ?? 0,
    );
}

async function runAttempt(
  deps: RelayDeps,
  request: RelayRequest,
  route: Route,
  attempt: number,
  hasNext: () => boolean,
  res: ServerResponse,
): Promise<{ done: boolean; outcome: AttemptOutcome; finish?: () => void }> {
  const started = performance.now();
  const abort = new AttemptAbort();
  const onClientClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  // `on`, not `once`: it is removed below anyway, and `once` wraps the listener anew for every attempt.
  res.on('close', onClientClose);
  // One plain timer per attempt: AbortSignal.timeout + any cost measurably more on the hot path.
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, deps.config.totalTimeoutMs);
  try {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await callUpstream(deps, request, route, abort);
    } catch (error) {
      const kind = timedOut ? 'timeout' : classifyFailure(error, abort.aborted);
      const message = kind === 'client_closed' ? 'the client disconnected' : describeCallError(kind, error);
      return { done: kind === 'client_closed', outcome: failure(route, attempt, 0, kind, message, request, started) };
    }
    if (upstream.statusCode >= 400 && hasNext() && (await isWorthRetrying(upstream))) {
      const body = await readErrorBody(upstream.body);
      const message = errorSummary(body) || `HTTP ${upstream.statusCode}`;
      const outcome = failure(route, attempt, upstream.statusCode, 'upstream_status', message, request, started);
      outcome.errorBody = body.toString('utf8');
      outcome.retryAfterMs = retryAfterMs(upstream.headers['retry-after'], deps.nowMs());
      return { done: false, outcome };
    }
    return {
      done: true,
      ...(await pipeResponse(request, route, upstream, res, attempt, abort, deps.inFlight.streams)),
    };
  } finally {
    clearTimeout(deadline);
    res.off('close', onClientClose);
  }
}

/**
 * Whether an answer is the provider's fault. A 404 is read first: only "model not found" moves on,
 * and the bytes read are put back in front of the body for the client otherwise.
 */
async function isWorthRetrying(upstream: Dispatcher.ResponseData): Promise<boolean> {
  if (upstream.statusCode !== 404) return isRetryableStatus(upstream.statusCode, '');
  const body = await readErrorBody(upstream.body);
  upstream.body = replayBody(body);
  return isRetryableStatus(404, body.toString('utf8'));
}

function replayBody(bytes: Buffer): Dispatcher.ResponseData['body'] {
  const replay = [bytes][Symbol.iterator]();
  // Iterable like the undici body it replaces, so the readers above need not know the difference.
  return Object.assign(
    { [Symbol.asyncIterator]: () => toAsync(replay) },
    { destroy: () => undefined },
  ) as unknown as Dispatcher.ResponseData['body'];
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return { next: () => Promise.resolve(iterator.next()) };
}

function describeCallError(kind: string, error: unknown): string {
  if (kind === 'timeout') return 'the upstream did not answer in time';
  const code = (error as { code?: string }).code;
  return kind === 'connect'
    ? `cannot connect to the upstream${code ? ` (${code})` : ''}`
    : `the upstream connection failed${code ? ` (${code})` : ''}`;
}

function failure(
  route: Route | undefined,
  attempt: number,
  httpStatus: number,
  errorType: string,
  errorMessage: string,
  request: RelayRequest,
  started = request.startedAt,
): AttemptOutcome {
  return {
    route,
    attempt,
    ok: false,
    httpStatus,
    errorType,
    errorMessage,
    isStream: false,
    latencyMs: performance.now() - started,
    firstByteMs: 0,
    usage: undefined,
  };
}

function record(deps: RelayDeps, request: RelayRequest, outcome: AttemptOutcome, final: boolean): void {
  try {
    deps.sink.record(usageRecord(request, outcome, final));
  } catch (error) {
    deps.logger.error({ err: error }, 'could not record usage');
  }
}
