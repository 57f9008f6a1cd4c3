import {
  SqliteAdapter,
  sql,
  type Expression,
  type Kysely,
  type SelectQueryBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { Database, UsageLogsTable } from '../db/schema.js';

export type UsageLogRow = Selectable<UsageLogsTable>;

/**
 * What a log query may narrow by; every field is an exact match. Each one is served by an index of
 * usage_logs: (final, created_at), (user_id, created_at), (aggregated_token_id, created_at),
 * (provider_id, created_at), (model_name, created_at), (request_id).
 */
export interface LogFilter {
  userId?: number;
  /** Inclusive, Unix seconds. */
  startTime?: number;
  /** Exclusive, Unix seconds. */
  endTime?: number;
  model?: string;
  providerId?: number;
  /** For a provider that no longer exists: the name its rows were written with. */
  providerName?: string;
  tokenId?: number;
  /** 1 success, 0 failure. */
  status?: 0 | 1;
  /** 1 streamed, 0 not. */
  stream?: 0 | 1;
  requestId?: string;
}

/** Sums over the client requests (final rows) a filter matches; the service turns them into a summary. */
export interface LogTotals {
  requests: number;
  successes: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  /** Sums over successful requests only, for their averages. */
  success_latency_ms: number;
  success_first_byte_ms: number;
}

type LogQuery<O> = SelectQueryBuilder<Database, 'usage_logs', O>;

/**
 * How a query asks for final (or non-final) rows. Nearly every row is final, so the
 * (final, created_at) index narrows nothing; PostgreSQL and MySQL know that from their statistics,
 * but SQLite has none until ANALYZE and picks it over the selective user, token, model or request
 * index, then sorts every final row for ORDER BY id. On SQLite, `final + 0` keeps it off that index:
 * each query takes the index of its filter, or walks the primary key backwards and stops at the page
 * (measured on 400k rows: 211 ms → 0.2 ms for the first page, 322 ms → 15 ms for an export chunk).
 * Elsewhere the plain comparison keeps the planner's row estimates right.
 */
type FinalTest = (value: 0 | 1) => Expression<SqlBool>;

const finalTest =
  (sqlite: boolean): FinalTest =>
  (value) =>
    sqlite
      ? sql<SqlBool>`${sql.ref('final')} + 0 = ${sql.lit(value)}`
      : sql<SqlBool>`${sql.ref('final')} = ${sql.lit(value)}`;

type Column = 'user_id' | 'created_at' | 'model_name' | 'provider_id' | 'provider_name' | 'aggregated_token_id';
type Op = '=' | '>=' | '<';

/**
 * How a query compares an indexed column. `indexed` is the plain comparison; `unindexed` writes the
 * column as `+column`, which SQLite reads as the same value but will not look up in an index. See
 * `UsageLogQueriesRepo.page` for when a page wants that.
 */
const indexed = <O>(q: LogQuery<O>, column: Column, op: Op, value: number | string) => q.where(column, op, value);
const unindexed = <O>(q: LogQuery<O>, column: Column, op: Op, value: number | string) =>
  q.where(sql<SqlBool>`+${sql.ref(column)} ${sql.raw(op)} ${value}`);

/** The client requests (final rows) a filter matches. */
function whereFinal<O>(query: LogQuery<O>, filter: LogFilter, isFinal: FinalTest, term = indexed): LogQuery<O> {
  let q = query.where(isFinal(1));
  if (filter.userId !== undefined) q = term(q, 'user_id', '=', filter.userId);
  if (filter.startTime !== undefined) q = term(q, 'created_at', '>=', filter.startTime);
  if (filter.endTime !== undefined) q = term(q, 'created_at', '<', filter.endTime);
  if (filter.model !== undefined) q = term(q, 'model_name', '=', filter.model);
  if (filter.providerId !== undefined) q = term(q, 'provider_id', '=', filter.providerId);
  if (filter.providerName !== undefined) q = term(q, 'provider_name', '=', filter.providerName);
  if (filter.tokenId !== undefined) q = term(q, 'aggregated_token_id', '=', filter.tokenId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.stream !== undefined) q = q.where('is_stream', '=', filter.stream);
  if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
  return q;
}

/** Whether a filter has a term some usage_logs index serves (besides final). */
const hasIndexedTerm = (f: LogFilter) =>
  [f.userId, f.startTime, f.endTime, f.model, f.providerId, f.tokenId, f.requestId].some((v) => v !== undefined);

/** The call log read side: the list, its summary, the attempts behind a request, the export. */
export class UsageLogQueriesRepo {
  private readonly isFinal: FinalTest;
  private readonly sqlite: boolean;

  constructor(private readonly db: Kysely<Database>) {
    this.sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    this.isFinal = finalTest(this.sqlite);
  }

  /**
   * One page of client requests, newest first. A filter's index finds its rows in time order, not id
   * order, so a page from it sorts every match first: 60 ms for 30 000 matches of 1 000 000 rows, 170
   * ms for 80 000. Walking the table from the newest id and stopping at the page is faster whenever
   * matches are common: it reads about (offset + limit) × rows / matches rows. PostgreSQL and MySQL
   * weigh the two from their statistics; SQLite has none, so it is asked here: a count of matches
   * capped at the break-even point, √((offset + limit) × rows), decides (at most a few thousand index
   * entries for a first page; the walk then reads at most as many rows). Measured on 1 000 000 rows:
   * the page of one model over 7 days 58 → 3 ms, of one provider over 30 days 173 → 3 ms.
   */
  async page(filter: LogFilter, offset: number, limit: number): Promise<UsageLogRow[]> {
    // With an end time the walk would first pass every newer row: the index stays the way there.
    const walk =
      this.sqlite &&
      filter.endTime === undefined &&
      hasIndexedTerm(filter) &&
      (await this.commonerThan(filter, offset + limit));
    return whereFinal(this.db.selectFrom('usage_logs').selectAll(), filter, this.isFinal, walk ? unindexed : indexed)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  /** Whether more rows match than the break-even point for a page ending at row `wanted`. */
  private async commonerThan(filter: LogFilter, wanted: number): Promise<boolean> {
    const rows = await this.maxId();
    const cap = Math.ceil(Math.sqrt(wanted * rows));
    const matches = whereFinal(this.db.selectFrom('usage_logs').select('id'), filter, this.isFinal).limit(cap);
    const row = await this.db
      .selectFrom(matches.as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n) >= cap;
  }

  /**
   * Every total in one aggregate query. Integer sums come back as integers on all three databases
   * (the drivers turn BIGINT and DECIMAL into numbers); COALESCE makes an empty set 0, not NULL.
   */
  async totals(filter: LogFilter): Promise<LogTotals> {
    const successOnly = (column: 'latency_ms' | 'first_byte_ms') =>
      sql<number>`coalesce(sum(case when ${sql.ref('status')} = 1 then ${sql.ref(column)} else 0 end), 0)`;
    const total = (column: 'prompt_tokens' | 'completion_tokens' | 'total_tokens' | 'cost_usd') =>
      sql<number>`coalesce(sum(${sql.ref(column)}), 0)`;
    const row = await whereFinal(
      this.db
        .selectFrom('usage_logs')
        .select([
          sql<number>`count(*)`.as('requests'),
          sql<number>`coalesce(sum(case when ${sql.ref('status')} = 1 then 1 else 0 end), 0)`.as('successes'),
          total('prompt_tokens').as('prompt_tokens'),
          total('completion_tokens').as('completion_tokens'),
          total('total_tokens').as('total_tokens'),
          total('cost_usd').as('cost_usd'),
          successOnly('latency_ms').as('success_latency_ms'),
          successOnly('first_byte_ms').as('success_first_byte_ms'),
        ]),
      filter,
      this.isFinal,
    ).executeTakeFirstOrThrow();
    return {
      requests: Number(row.requests),
      successes: Number(row.successes),
      prompt_tokens: Number(row.prompt_tokens),
      completion_tokens: Number(row.completion_tokens),
      total_tokens: Number(row.total_tokens),
      cost_usd: Number(row.cost_usd),
      success_latency_ms: Number(row.success_latency_ms),
      success_first_byte_ms: Number(row.success_first_byte_ms),
    };
  }

  /**
   * The failed attempts (final = 0) behind the given requests, oldest first, in one query. With a
   * user id, only that user's rows: a request id never opens another user's attempts. The request
   * ids are the narrow part (a page's worth); on SQLite the user term stays off the user index, which
   * its planner would otherwise take and read every row of the user's (50 ms for 20 000 rows).
   */
  attempts(requestIds: readonly string[], userId?: number): Promise<UsageLogRow[]> {
    if (requestIds.length === 0) return Promise.resolve([]);
    let query = this.db
      .selectFrom('usage_logs')
      .selectAll()
      .where('request_id', 'in', [...new Set(requestIds)])
      .where(this.isFinal(0));
    if (userId !== undefined) query = (this.sqlite ? unindexed : indexed)(query, 'user_id', '=', userId);
    return query.orderBy('id', 'asc').execute();
  }

  /** The newest row id now; an export reads up to it so rows written meanwhile do not shift it. */
  async maxId(): Promise<number> {
    const row = await this.db
      .selectFrom('usage_logs')
      .select((eb) => eb.fn.max<number | null>('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Whether more than `count` client requests with id <= maxId match, without counting them all. */
  async exceeds(filter: LogFilter, maxId: number, count: number): Promise<boolean> {
    const row = await whereFinal(this.db.selectFrom('usage_logs').select('id'), filter, this.isFinal)
      .where('id', '<=', maxId)
      .orderBy('id', 'desc')
      .limit(1)
      .offset(count)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The next `limit` client requests with id below `beforeId`, newest first: a cursor, not an offset. */
  before(filter: LogFilter, beforeId: number, limit: number): Promise<UsageLogRow[]> {
    return whereFinal(this.db.selectFrom('usage_logs').selectAll(), filter, this.isFinal)
      .where('id', '<', beforeId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
