/**
 * What crosses the gateway, header by header (SEED "隐匿策略"): the client's headers go upstream in
 * their order and spelling, minus hop-by-hop, proxy and forwarding headers, cookies and every
 * credential; the one auth header the client used comes back carrying the provider's key.
 */
export type KeySource = 'authorization' | 'x-api-key' | 'x-goog-api-key' | 'query';

export interface ClientKey {
  /** The aggregated token without its `ag-` prefix. */
  key: string;
  source: KeySource;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers that would tell the upstream a proxy is there, or who the client is behind it. */
const FORWARDING = new Set([
  'forwarded',
  'via',
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'fastly-client-ip',
  'x-original-forwarded-for',
]);

/** Recomputed or owned by the connection to the upstream. */
const CONNECTION_OWNED = new Set(['host', 'content-length', 'expect', 'cookie']);

const CREDENTIALS = new Set(['authorization', 'x-api-key', 'x-goog-api-key']);

function stripAg(value: string): string {
  return value.startsWith('ag-') ? value.slice(3) : value;
}

/**
 * The client's token, first match wins: Authorization (Bearer), x-api-key, x-goog-api-key, ?key=.
 * When Authorization is present it is the only source, as in NewAPI.
 */
export function extractClientKey(
  headers: Record<string, string | string[] | undefined>,
  query: string,
): ClientKey | undefined {
  const first = (name: string) => {
    const value = headers[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };
  const authorization = first('authorization');
  if (authorization !== undefined) {
    const token = authorization.replace(/^Bearer(\s+|$)/i, '').trim();
    return token ? { key: stripAg(token), source: 'authorization' } : undefined;
  }
  for (const name of ['x-api-key', 'x-goog-api-key'] as const) {
    const value = first(name);
    if (value) return { key: stripAg(value), source: name };
  }
  const fromQuery = new URLSearchParams(query).get('key')?.trim();
  return fromQuery ? { key: stripAg(fromQuery), source: 'query' } : undefined;
}

function isDropped(lowerName: string): boolean {
  return (
    HOP_BY_HOP.has(lowerName) ||
    FORWARDING.has(lowerName) ||
    CONNECTION_OWNED.has(lowerName) ||
    CREDENTIALS.has(lowerName) ||
    lowerName.startsWith('x-forwarded-') ||
    lowerName.startsWith('cf-')
  );
}

/**
 * The upstream request's headers as a flat [name, value, …] list, from the client's raw headers.
 * Any header that still carries the aggregated token is dropped, whatever its name.
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  client: ClientKey,
  upstreamKey: string,
): string[] {
  const out: string[] = [];
  let authPlaced = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === client.source && !authPlaced) {
      out.push(name, lower === 'authorization' ? `Bearer ${upstreamKey}` : upstreamKey);
      authPlaced = true;
      continue;
    }
    if (isDropped(lower) || value.includes(client.key)) continue;
    out.push(name, value);
  }
  return out;
}

/** The query string for the upstream: the same, with `key=` carrying the provider's key when the client sent it there. */
export function upstreamQuery(query: string, client: ClientKey, upstreamKey: string): string {
  if (client.source !== 'query' || !query) return query;
  return query
    .split('&')
    .map((pair) => (pair.split('=')[0] === 'key' ? `key=${encodeURIComponent(upstreamKey)}` : pair))
    .join('&');
}

/** The upstream's response headers for the client, minus hop-by-hop ones. */
export function clientResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    out[name] = value;
  }
  return out;
}
