import type {
  BucketSums,
  DashboardQueries,
  LatestRouteAttempt,
  ProviderAttemptSums,
  ProviderBalanceRow,
  TimeRange,
} from '../repos/dashboard-queries.js';

export const DASHBOARD_WINDOWS = ['today', '7d', '30d'] as const;
export type DashboardWindow = (typeof DASHBOARD_WINDOWS)[number];

const HOUR = 3600;
const DAY = 86_400;
const TOP_LIMIT = 10;
/** Failing routes look back this far from now, whatever the window. */
const FAILING_LOOKBACK_SECONDS = 15 * 60;
const FAILING_LIMIT = 50;
const ERROR_PREVIEW_CHARS = 200;
const COST_DIGITS = 6;
const RATE_DIGITS = 4;
const LATENCY_DIGITS = 1;

export interface DashboardTotals {
  requests: number;
  successes: number;
  errors: number;
  success_rate: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  avg_latency_ms: number;
  attempts: number;
  failovers: number;
}

export interface ProviderStat {
  provider_id: number;
  provider_name: string;
  attempts: number;
  errors: number;
  error_rate: number;
  tokens: number;
  cost_usd: number;
  avg_latency_ms: number;
}

export interface ModelStat {
  model_name: string;
  requests: number;
  errors: number;
  tokens: number;
  cost_usd: number;
  avg_latency_ms: number;
}

/** One bucket of the series; `time` is its start. */
export type SeriesPoint = BucketSums;

export interface TopToken {
  aggregated_token_id: number;
  name: string;
  user_id: number;
  requests: number;
  tokens: number;
  cost_usd: number;
}

export interface TopUser {
  user_id: number;
  username: string;
  requests: number;
  tokens: number;
  cost_usd: number;
}

export type ProviderBalance = ProviderBalanceRow;

export interface FailingRoute {
  route_id: number;
  model_name: string;
  provider_id: number;
  provider_name: string;
  last_error: string;
  last_failed_at: number;
  recent_failures: number;
}

export interface Dashboard {
  window: DashboardWindow;
  start_time: number;
  end_time: number;
  bucket: 'hour' | 'day';
  totals: DashboardTotals;
  by_provider: ProviderStat[];
  by_model: ModelStat[];
  series: SeriesPoint[];
  top_tokens: TopToken[];
  top_users: TopUser[];
  provider_balances: ProviderBalance[];
  failing_routes: FailingRoute[];
}

export interface DashboardServiceDeps {
  queries: DashboardQueries;
  /** Unix seconds. */
  now: () => number;
}

/** Where a window starts and how its series is cut. It ends at now (exclusive). */
export function windowSpan(
  window: DashboardWindow,
  now: number,
): { start: number; bucket: 'hour' | 'day'; size: number } {
  switch (window) {
    case 'today':
      return { start: localMidnight(now), bucket: 'hour', size: HOUR };
    case '7d':
      return { start: now - 7 * DAY, bucket: 'day', size: DAY };
    case '30d':
      return { start: now - 30 * DAY, bucket: 'day', size: DAY };
  }
}

/** The server's local midnight starting the day that holds `now`. */
function localMidnight(now: number): number {
  const date = new Date(now * 1000);
  date.setHours(0, 0, 0, 0);
  return Math.floor(date.getTime() / 1000);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function ratio(part: number, whole: number, digits: number): number {
  return whole > 0 ? round(part / whole, digits) : 0;
}

const byCountThen =
  <T>(count: (item: T) => number, key: (item: T) => string | number) =>
  (a: T, b: T) =>
    count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The admin dashboard: one window's traffic, spend and health, read in a few aggregate queries. */
export class DashboardService {
  constructor(private readonly deps: DashboardServiceDeps) {}

  async overview(window: DashboardWindow = 'today'): Promise<Dashboard> {
    const now = Math.floor(this.deps.now());
    const { start, bucket, size } = windowSpan(window, now);
    const range: TimeRange = { from: start, to: now };
    const q = this.deps.queries;
    const [totals, providers, models, buckets, tokens, users, balances, latest] = await Promise.all([
      q.requestTotals(range),
      q.attemptsByProvider(range),
      q.requestsByModel(range),
      q.requestsByBucket(range, start, size),
      q.topTokens(range, TOP_LIMIT),
      q.topUsers(range, TOP_LIMIT),
      q.providerBalances(),
      q.latestAttemptsOfFailedRoutes(now - FAILING_LOOKBACK_SECONDS, now),
    ]);
    const successes = totals.requests - totals.errors;
    return {
      window,
      start_time: start,
      end_time: now,
      bucket,
      totals: {
        requests: totals.requests,
        successes,
        errors: totals.errors,
        success_rate: ratio(successes, totals.requests, RATE_DIGITS),
        prompt_tokens: totals.prompt_tokens,
        completion_tokens: totals.completion_tokens,
        total_tokens: totals.tokens,
        cost_usd: round(totals.cost_usd, COST_DIGITS),
        avg_latency_ms: ratio(totals.ok_latency_ms, successes, LATENCY_DIGITS),
        attempts: providers.reduce((sum, row) => sum + row.attempts, 0),
        failovers: totals.failovers,
      },
      by_provider: providerStats(providers),
      by_model: models
        .map((row) => ({
          model_name: row.model_name,
          requests: row.requests,
          errors: row.errors,
          tokens: row.tokens,
          cost_usd: round(row.cost_usd, COST_DIGITS),
          avg_latency_ms: ratio(row.ok_latency_ms, row.requests - row.errors, LATENCY_DIGITS),
        }))
        .sort(
          byCountThen(
            (m) => m.requests,
            (m) => m.model_name,
          ),
        ),
      series: fillSeries(buckets, start, now, size),
      top_tokens: tokens.map((row) => ({
        aggregated_token_id: row.aggregated_token_id,
        name: row.token_name ?? '',
        user_id: row.user_id,
        requests: row.requests,
        tokens: row.tokens,
        cost_usd: round(row.cost_usd, COST_DIGITS),
      })),
      top_users: users.map((row) => ({
        user_id: row.user_id,
        username: row.username ?? '',
        requests: row.requests,
        tokens: row.tokens,
        cost_usd: round(row.cost_usd, COST_DIGITS),
      })),
      provider_balances: balances,
      failing_routes: failingRoutes(latest),
    };
  }
}

/** Rows of one provider under several recorded names (it was renamed) merge under the newest name. */
function providerStats(rows: readonly ProviderAttemptSums[]): ProviderStat[] {
  const merged = new Map<number, ProviderAttemptSums>();
  for (const row of rows) {
    if (row.provider_id === 0) continue; // refused before any attempt: no provider to blame
    const seen = merged.get(row.provider_id);
    if (!seen) {
      merged.set(row.provider_id, { ...row });
      continue;
    }
    const newer =
      row.last_at > seen.last_at || (row.last_at === seen.last_at && row.provider_name > seen.provider_name);
    merged.set(row.provider_id, {
      provider_id: row.provider_id,
      provider_name: newer ? row.provider_name : seen.provider_name,
      last_at: Math.max(row.last_at, seen.last_at),
      attempts: seen.attempts + row.attempts,
      errors: seen.errors + row.errors,
      tokens: seen.tokens + row.tokens,
      cost_usd: seen.cost_usd + row.cost_usd,
      ok_latency_ms: seen.ok_latency_ms + row.ok_latency_ms,
    });
  }
  return [...merged.values()]
    .map((row) => ({
      provider_id: row.provider_id,
      provider_name: row.provider_name,
      attempts: row.attempts,
      errors: row.errors,
      error_rate: ratio(row.errors, row.attempts, RATE_DIGITS),
      tokens: row.tokens,
      cost_usd: round(row.cost_usd, COST_DIGITS),
      avg_latency_ms: ratio(row.ok_latency_ms, row.attempts - row.errors, LATENCY_DIGITS),
    }))
    .sort(
      byCountThen(
        (p) => p.attempts,
        (p) => p.provider_id,
      ),
    );
}

/** Every bucket of [start, end), the empty ones as zeros. */
function fillSeries(rows: readonly BucketSums[], start: number, end: number, size: number): SeriesPoint[] {
  const byTime = new Map(rows.map((row) => [row.time, row]));
  const count = Math.max(1, Math.ceil((end - start) / size));
  return Array.from({ length: count }, (_, i) => {
    const time = start + i * size;
    const row = byTime.get(time);
    return {
      time,
      requests: row?.requests ?? 0,
      errors: row?.errors ?? 0,
      tokens: row?.tokens ?? 0,
      cost_usd: round(row?.cost_usd ?? 0, COST_DIGITS),
    };
  });
}

/** Routes whose newest attempt (newest second, then highest id) failed; newest failure first. */
function failingRoutes(rows: readonly LatestRouteAttempt[]): FailingRoute[] {
  const newest = new Map<number, LatestRouteAttempt>();
  for (const row of rows) {
    const seen = newest.get(row.route_id);
    if (!seen || row.created_at > seen.created_at || (row.created_at === seen.created_at && row.id > seen.id)) {
      newest.set(row.route_id, row);
    }
  }
  return [...newest.values()]
    .filter((row) => row.status !== 1)
    .sort((a, b) => b.created_at - a.created_at || a.route_id - b.route_id)
    .slice(0, FAILING_LIMIT)
    .map((row) => ({
      route_id: row.route_id,
      model_name: row.model_name,
      provider_id: row.provider_id,
      provider_name: row.provider_name,
      last_error: row.error_message.slice(0, ERROR_PREVIEW_CHARS),
      last_failed_at: row.created_at,
      recent_failures: row.failures,
    }));
}
