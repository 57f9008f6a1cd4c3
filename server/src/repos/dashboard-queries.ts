import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The dashboard's aggregate reads over usage_logs. Every query is a range on `created_at` (alone or
 * behind `final = 1`), so it runs on usage_logs_created_idx or usage_logs_final_created_idx. Sums are
 * coalesced to 0, there is no SQL division and no date function: each database returns the same
 * integers, and the service divides and rounds in JS.
 */

/** `from` inclusive, `to` exclusive, Unix seconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Client requests (final rows) summed. */
export interface RequestSums {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  tokens: number;
  cost_usd: number;
  /** Sum of latency_ms over the successful rows. */
  ok_latency_ms: number;
  /** Distinct request ids whose deciding attempt was not the first. */
  failovers: number;
}

/** Attempts (every row) of one provider under one recorded name. */
export interface ProviderAttemptSums {
  provider_id: number;
  provider_name: string;
  /** The newest created_at recorded under this name, to pick the provider's current name. */
  last_at: number;
  attempts: number;
  errors: number;
  tokens: number;
  cost_usd: number;
  ok_latency_ms: number;
}

export interface ModelRequestSums {
  model_name: string;
  requests: number;
  errors: number;
  tokens: number;
  cost_usd: number;
  ok_latency_ms: number;
}

export interface BucketSums {
  time: number;
  requests: number;
  errors: number;
  tokens: number;
  cost_usd: number;
}

export interface TokenUsageSums {
  aggregated_token_id: number;
  token_name: string | null;
  user_id: number;
  requests: number;
  tokens: number;
  cost_usd: number;
}

export interface UserUsageSums {
  user_id: number;
  username: string | null;
  requests: number;
  tokens: number;
  cost_usd: number;
}

export interface ProviderBalanceRow {
  id: number;
  name: string;
  status: number;
  balance_usd: number | null;
  balance_updated_at: number;
}

/** The newest attempt(s) of a route that failed at least once in the range. */
export interface LatestRouteAttempt {
  id: number;
  route_id: number;
  model_name: string;
  provider_id: number;
  provider_name: string;
  status: number;
  error_message: string;
  created_at: number;
  failures: number;
}

// Unqualified column names: each is used only in a query over usage_logs alone.
const requestCount = sql<number>`count(*)`;
const errorCount = sql<number>`coalesce(sum(case when status = 1 then 0 else 1 end), 0)`;
const tokenSum = sql<number>`coalesce(sum(total_tokens), 0)`;
const costSum = sql<number>`coalesce(sum(cost_usd), 0)`;
const okLatencySum = sql<number>`coalesce(sum(case when status = 1 then latency_ms else 0 end), 0)`;

/** Driver values as JS numbers; the connection seam promises it, this keeps a slip from leaking out. */
function numbers<T extends object>(row: T, keys: ReadonlyArray<keyof T>): T {
  const copy = { ...row };
  for (const key of keys) copy[key] = Number(row[key]) as T[typeof key];
  return copy;
}

export class DashboardQueries {
  constructor(private readonly db: Kysely<Database>) {}

  private rows(range: TimeRange) {
    return this.db.selectFrom('usage_logs').where('created_at', '>=', range.from).where('created_at', '<', range.to);
  }

  /** Final rows: one per client request, the attempt that decided it. */
  private finalRows(range: TimeRange) {
    return this.db
      .selectFrom('usage_logs')
      .where('final', '=', 1)
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to);
  }

  async requestTotals(range: TimeRange): Promise<RequestSums> {
    const row = await this.finalRows(range)
      .select([
        requestCount.as('requests'),
        errorCount.as('errors'),
        sql<number>`coalesce(sum(prompt_tokens), 0)`.as('prompt_tokens'),
        sql<number>`coalesce(sum(completion_tokens), 0)`.as('completion_tokens'),
        tokenSum.as('tokens'),
        costSum.as('cost_usd'),
        okLatencySum.as('ok_latency_ms'),
        sql<number>`count(distinct case when attempt > 1 then request_id end)`.as('failovers'),
      ])
      .executeTakeFirstOrThrow();
    return numbers(row, Object.keys(row) as Array<keyof RequestSums>);
  }

  /** Every attempt, provider_id 0 (refused before any attempt) included, by provider and recorded name. */
  async attemptsByProvider(range: TimeRange): Promise<ProviderAttemptSums[]> {
    const rows = await this.rows(range)
      .select([
        'provider_id',
        'provider_name',
        sql<number>`max(created_at)`.as('last_at'),
        requestCount.as('attempts'),
        errorCount.as('errors'),
        tokenSum.as('tokens'),
        costSum.as('cost_usd'),
        okLatencySum.as('ok_latency_ms'),
      ])
      .groupBy(['provider_id', 'provider_name'])
      .execute();
    return rows.map((row) =>
      numbers(row, ['provider_id', 'last_at', 'attempts', 'errors', 'tokens', 'cost_usd', 'ok_latency_ms']),
    );
  }

  async requestsByModel(range: TimeRange): Promise<ModelRequestSums[]> {
    const rows = await this.finalRows(range)
      .select([
        'model_name',
        requestCount.as('requests'),
        errorCount.as('errors'),
        tokenSum.as('tokens'),
        costSum.as('cost_usd'),
        okLatencySum.as('ok_latency_ms'),
      ])
      .groupBy('model_name')
      .execute();
    return rows.map((row) => numbers(row, ['requests', 'errors', 'tokens', 'cost_usd', 'ok_latency_ms']));
  }

  /**
   * Client requests per bucket of `size` seconds counted from `origin`, non-empty buckets only.
   * Integer arithmetic alone (no `/`, which is decimal on MySQL; no date function), so every
   * database puts a row in the same bucket.
   */
  async requestsByBucket(range: TimeRange, origin: number, size: number): Promise<BucketSums[]> {
    if (!Number.isSafeInteger(origin) || !Number.isSafeInteger(size) || size <= 0) {
      throw new Error(`bad bucket origin ${origin} or size ${size}`);
    }
    const bucket = sql<number>`created_at - ((created_at - ${sql.lit(origin)}) % ${sql.lit(size)})`;
    const rows = await this.finalRows(range)
      .select([
        bucket.as('time'),
        requestCount.as('requests'),
        errorCount.as('errors'),
        tokenSum.as('tokens'),
        costSum.as('cost_usd'),
      ])
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
    return rows.map((row) => numbers(row, ['time', 'requests', 'errors', 'tokens', 'cost_usd']));
  }

  /** The aggregated tokens with the most client requests; ties by the lower id. */
  async topTokens(range: TimeRange, limit: number): Promise<TokenUsageSums[]> {
    const rows = await this.db
      .selectFrom(
        this.finalRows(range)
          .select([
            'aggregated_token_id',
            'user_id',
            requestCount.as('requests'),
            tokenSum.as('tokens'),
            costSum.as('cost_usd'),
          ])
          .groupBy(['aggregated_token_id', 'user_id'])
          .orderBy('requests', 'desc')
          .orderBy('aggregated_token_id')
          .orderBy('user_id')
          .limit(limit)
          .as('s'),
      )
      .leftJoin('aggregated_tokens as t', 't.id', 's.aggregated_token_id')
      .select(['s.aggregated_token_id', 's.user_id', 's.requests', 's.tokens', 's.cost_usd', 't.name as token_name'])
      .orderBy('s.requests', 'desc')
      .orderBy('s.aggregated_token_id')
      .orderBy('s.user_id')
      .execute();
    return rows.map((row) => numbers(row, ['aggregated_token_id', 'user_id', 'requests', 'tokens', 'cost_usd']));
  }

  /** The users with the most client requests; ties by the lower id. */
  async topUsers(range: TimeRange, limit: number): Promise<UserUsageSums[]> {
    const rows = await this.db
      .selectFrom(
        this.finalRows(range)
          .select(['user_id', requestCount.as('requests'), tokenSum.as('tokens'), costSum.as('cost_usd')])
          .groupBy('user_id')
          .orderBy('requests', 'desc')
          .orderBy('user_id')
          .limit(limit)
          .as('s'),
      )
      .leftJoin('users as u', 'u.id', 's.user_id')
      .select(['s.user_id', 's.requests', 's.tokens', 's.cost_usd', 'u.username'])
      .orderBy('s.requests', 'desc')
      .orderBy('s.user_id')
      .execute();
    return rows.map((row) => numbers(row, ['user_id', 'requests', 'tokens', 'cost_usd']));
  }

  providerBalances(): Promise<ProviderBalanceRow[]> {
    return this.db
      .selectFrom('providers')
      .select(['id', 'name', 'status', 'balance_usd', 'balance_updated_at'])
      .orderBy('id')
      .execute();
  }

  /**
   * For each route with a failed attempt in [since, until]: its newest attempt(s) there (several
   * when they share the newest second; the highest id is the newest) and its failure count.
   */
  async latestAttemptsOfFailedRoutes(since: number, until: number): Promise<LatestRouteAttempt[]> {
    const rows = await this.db
      .selectFrom('usage_logs as l')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('usage_logs')
            .where('created_at', '>=', since)
            .where('created_at', '<=', until)
            .where('route_id', '>', 0)
            .select(['route_id', sql<number>`max(created_at)`.as('last_at'), errorCount.as('failures')])
            .groupBy('route_id')
            .having(errorCount, '>', 0)
            .as('r'),
        (join) => join.onRef('l.route_id', '=', 'r.route_id').onRef('l.created_at', '=', 'r.last_at'),
      )
      .where('l.created_at', '>=', since)
      .where('l.created_at', '<=', until)
      .select([
        'l.id',
        'l.route_id',
        'l.model_name',
        'l.provider_id',
        'l.provider_name',
        'l.status',
        'l.error_message',
        'l.created_at',
        'r.failures',
      ])
      .execute();
    return rows.map((row) => numbers(row, ['id', 'route_id', 'provider_id', 'status', 'created_at', 'failures']));
  }
}
