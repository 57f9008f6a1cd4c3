import { withQuery } from '../../api/client.js';
import { logExportPath, type LogItem, type LogQueryParams, type LogScope, type UsageLogRow } from '../../api/logs.js';

/** The time span of the log filter: everything, the last N seconds before an anchor, or fixed bounds. */
export type TimeRange =
  | { kind: 'all' }
  | { kind: 'last'; seconds: number }
  /** Unix seconds, start inclusive and end exclusive. */
  | { kind: 'custom'; start: number; end: number };

export const QUICK_RANGES = [
  { key: '15m', seconds: 15 * 60 },
  { key: '1h', seconds: 3600 },
  { key: '24h', seconds: 86_400 },
  { key: '7d', seconds: 7 * 86_400 },
  { key: '30d', seconds: 30 * 86_400 },
] as const;

export interface LogFilterValues {
  range: TimeRange;
  model: string;
  provider: string;
  tokenId: number | null;
  userId: number | null;
  status: 'all' | 'success' | 'error';
  stream: 'all' | 'true' | 'false';
  requestId: string;
}

export const EMPTY_FILTERS: LogFilterValues = {
  range: { kind: 'all' },
  model: '',
  provider: '',
  tokenId: null,
  userId: null,
  status: 'all',
  stream: 'all',
  requestId: '',
};

export interface ParamsContext {
  scope: LogScope;
  isAdmin: boolean;
  /** Unix seconds that "the last N" counts back from. */
  now: number;
}

const positive = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
const text = (value: string | undefined): string | undefined => value?.trim() || undefined;

/** The time range as start_time/end_time; a custom range whose end is not after its start gets one second. */
export function timeParams(range: TimeRange, now: number): Pick<LogQueryParams, 'start_time' | 'end_time'> {
  switch (range.kind) {
    case 'all':
      return {};
    case 'last':
      return { start_time: Math.max(0, Math.floor(now - range.seconds)) };
    case 'custom': {
      const start = Math.max(0, Math.floor(range.start));
      return { start_time: start, end_time: Math.max(start + 1, Math.floor(range.end)) };
    }
  }
}

/**
 * The filter as the API's query parameters, without the ones that mean "any". The user filter only
 * goes to the everyone view (the self route refuses it) and the provider filter only for admins.
 */
export function filtersToParams(values: LogFilterValues, context: ParamsContext): LogQueryParams {
  const params: LogQueryParams = {
    ...timeParams(values.range, context.now),
    model: text(values.model),
    provider: context.isAdmin ? text(values.provider) : undefined,
    token_id: positive(values.tokenId),
    user_id: context.isAdmin && context.scope === 'all' ? positive(values.userId) : undefined,
    status: values.status === 'all' ? undefined : values.status,
    stream: values.stream === 'all' ? undefined : values.stream,
    request_id: text(values.requestId),
  };
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
}

/** The CSV download of the same filter; the browser streams it straight from the server. */
export function exportUrl(scope: LogScope, params: LogQueryParams): string {
  return withQuery(logExportPath(scope), { ...params });
}

/** A link into the log page with some filters set, e.g. from the dashboard's failing routes. */
export function logsLink(
  filters: Partial<Pick<LogFilterValues, 'model' | 'provider' | 'status' | 'requestId'>>,
): string {
  return withQuery('/logs', {
    model: filters.model,
    provider: filters.provider,
    status: filters.status === 'all' ? undefined : filters.status,
    request_id: filters.requestId,
  });
}

/** The filters a /logs?… link asks for; anything unknown or malformed is left at "any". */
export function filtersFromSearch(search: URLSearchParams): LogFilterValues {
  const id = (key: string) => {
    const value = Number(search.get(key));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  };
  const status = search.get('status');
  const stream = search.get('stream');
  return {
    ...EMPTY_FILTERS,
    model: search.get('model') ?? '',
    provider: search.get('provider') ?? '',
    tokenId: id('token_id'),
    userId: id('user_id'),
    status: status === 'success' || status === 'error' ? status : 'all',
    stream: stream === 'true' || stream === 'false' ? stream : 'all',
    requestId: search.get('request_id') ?? '',
  };
}

/** How many upstream attempts a request made: its failed ones plus the deciding one (none for `no_route`). */
export function attemptCount(item: Pick<LogItem, 'attempts' | 'error_type'>): number {
  return item.attempts.length + (item.error_type === 'no_route' ? 0 : 1);
}

/** The status tag: colour, and the HTTP status or, when there was no answer, the error type. */
export function statusTag(row: Pick<LogItem, 'status' | 'http_status' | 'error_type'>): {
  color: 'success' | 'error';
  text: string;
} {
  const ok = row.status === 1;
  return {
    color: ok ? 'success' : 'error',
    text: row.http_status > 0 ? String(row.http_status) : row.error_type || '—',
  };
}

/** The fields of a usage row, in the order the detail drawer lists them (two a line, long ones alone). */
export const DETAIL_FIELDS = [
  'request_id',
  'created_at',
  'status',
  'http_status',
  'error_type',
  'error_message',
  'model_name',
  'is_stream',
  'endpoint',
  'provider_name',
  'provider_id',
  'provider_token_id',
  'route_id',
  'attempt',
  'final',
  'latency_ms',
  'first_byte_ms',
  'prompt_tokens',
  'completion_tokens',
  'cache_tokens',
  'total_tokens',
  'cost_usd',
  'id',
  'user_id',
  'aggregated_token_id',
  'client_ip',
  'user_agent',
] as const satisfies ReadonlyArray<keyof UsageLogRow>;
