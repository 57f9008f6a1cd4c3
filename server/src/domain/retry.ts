/**
 * Which upstream answers move the request to another route (before any byte reached the client):
 * the provider's fault, never the client's. 401/403 mean that provider's key is bad; "model not
 * found" means that provider cannot serve the model after all.
 */
export function isRetryableStatus(status: number, body: string): boolean {
  if (status === 429 || status >= 500 || status === 401 || status === 403) return true;
  return status === 404 && /model_not_found|model .*(does not exist|not found)/i.test(body);
}

/** Failures before a response: the connection or the wait for headers. */
export type AttemptFailure = 'connect' | 'timeout' | 'reset' | 'client_closed';

export function classifyFailure(error: unknown, clientClosed: boolean): AttemptFailure {
  if (clientClosed) return 'client_closed';
  const name = (error as { name?: string; code?: string }).name ?? '';
  const code = (error as { code?: string }).code ?? '';
  if (/Timeout/i.test(name) || /TIMEOUT/.test(code)) return 'timeout';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH')
    return 'connect';
  return 'reset';
}

/** What an attempt's outcome says about its route's health. */
export type HealthVerdict = 'success' | 'neutral' | 'upstream' | 'key_rejected' | 'model_missing';

export function healthVerdict(outcome: {
  ok: boolean;
  httpStatus: number;
  errorType: string;
  errorBody?: string;
}): HealthVerdict {
  if (outcome.ok) return 'success';
  if (outcome.errorType === 'client_closed') return 'neutral';
  if (outcome.errorType !== 'upstream_status') return 'upstream'; // connect, timeout, reset, stream cut
  const body = outcome.errorBody ?? '';
  if (/model_not_found|No available channel|model .*(does not exist|not found)/i.test(body)) return 'model_missing';
  if (outcome.httpStatus === 401 || outcome.httpStatus === 403) return 'key_rejected';
  if (outcome.httpStatus === 429 || outcome.httpStatus >= 500) return 'upstream';
  return 'neutral'; // the client's own error, passed back unchanged
}

/** Retry-After in milliseconds, from seconds or an HTTP date; 0 when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}
