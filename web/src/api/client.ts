/** The admin API's envelope and errors, as the server sends them (docs/api.md). */
export interface Envelope<T> {
  success: boolean;
  message: string;
  code?: string;
  data: T;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the server says the session is gone, so the app can go to the login page. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<Envelope<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 0, 'NETWORK');
  }
  let envelope: Envelope<T> | undefined;
  try {
    envelope = (await response.json()) as Envelope<T>;
  } catch {
    envelope = undefined;
  }
  if (response.status === 401 && !path.startsWith('/api/user/login')) onUnauthorized();
  if (!response.ok || !envelope?.success) {
    throw new ApiError(envelope?.message || `HTTP ${response.status}`, response.status, envelope?.code);
  }
  return envelope;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)).then((e) => e.data),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}).then((e) => e.data),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body).then((e) => e.data),
  delete: <T>(path: string) => request<T>('DELETE', path).then((e) => e.data),
  /** The whole envelope, for answers whose message matters (sync, check-in). */
  postEnvelope: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
};
