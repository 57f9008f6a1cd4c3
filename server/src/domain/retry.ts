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
