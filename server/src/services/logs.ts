import type { ProvidersRepo } from '../repos/providers.js';
import type { LogFilter, LogTotals, UsageLogQueriesRepo, UsageLogRow } from '../repos/usage-log-queries.js';

/** A call-log query as the API receives it; `provider` is a provider's exact name. */
export interface LogQuery extends Omit<LogFilter, 'providerName'> {
  provider?: string;
}

/** One client request: its deciding row, and the failed attempts before it, oldest first. */
export interface LogItem extends UsageLogRow {
  attempts: UsageLogRow[];
}

export interface LogSummary {
  requests: number;
  successes: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  /** Averages over successful requests, to one decimal; 0 when there are none. */
  avg_latency_ms: number;
  avg_first_byte_ms: number;
}

export interface LogPage {
  items: LogItem[];
  total: number;
  summary: LogSummary;
}

export interface LogExport {
  /** More rows matched than an export holds; the newest `maxRows` are in it. */
  truncated: boolean;
  /** The CSV text, header first, a chunk of rows at a time. */
  chunks: AsyncIterable<string>;
}

export interface ExportLimits {
  /** The most rows one export holds. */
  maxRows: number;
  /** Rows read per query while streaming. */
  chunkRows: number;
}

export const EXPORT_LIMITS: ExportLimits = { maxRows: 100_000, chunkRows: 2000 };

export interface LogsServiceDeps {
  logs: UsageLogQueriesRepo;
  providers: ProvidersRepo;
}

/** The call log, read side: a user's own requests, or everyone's for an admin. */
export class LogsService {
  constructor(
    private readonly deps: LogsServiceDeps,
    private readonly limits: ExportLimits = EXPORT_LIMITS,
  ) {}

  async page(query: LogQuery, offset: number, limit: number): Promise<LogPage> {
    const filter = await this.toFilter(query);
    const [rows, totals] = await Promise.all([
      this.deps.logs.page(filter, offset, limit),
      this.deps.logs.totals(filter),
    ]);
    const attempts = await this.deps.logs.attempts(
      rows.map((row) => row.request_id),
      filter.userId,
    );
    const byRequest = new Map<string, UsageLogRow[]>();
    for (const attempt of attempts) {
      const list = byRequest.get(attempt.request_id);
      if (list) list.push(attempt);
      else byRequest.set(attempt.request_id, [attempt]);
    }
    return {
      items: rows.map((row) => ({ ...row, attempts: byRequest.get(row.request_id) ?? [] })),
      total: totals.requests,
      summary: toSummary(totals),
    };
  }

  /** The matching client requests as CSV, newest first, read in chunks by id so memory stays flat. */
  async export(query: LogQuery): Promise<LogExport> {
    const filter = await this.toFilter(query);
    const { logs } = this.deps;
    const maxId = await logs.maxId();
    const { maxRows, chunkRows } = this.limits;
    const truncated = maxId > 0 && (await logs.exceeds(filter, maxId, maxRows));
    async function* chunks(): AsyncGenerator<string> {
      yield csvLine(CSV_COLUMNS);
      let cursor = maxId + 1;
      let left = maxRows;
      while (left > 0) {
        const rows = await logs.before(filter, cursor, Math.min(chunkRows, left));
        if (rows.length === 0) return;
        yield rows.map((row) => csvLine(csvValues(row))).join('');
        left -= rows.length;
        cursor = rows[rows.length - 1]!.id;
      }
    }
    return { truncated, chunks: maxId > 0 ? chunks() : headerOnly() };
  }

  /**
   * A provider named that exists is matched by id, which has an index; a name no provider has any
   * more still finds the rows written while it existed. The API takes a name or an id, not both.
   */
  private async toFilter(query: LogQuery): Promise<LogFilter> {
    const { provider, ...filter } = query;
    if (provider === undefined) return filter;
    const found = await this.deps.providers.findByName(provider);
    return found ? { ...filter, providerId: found.id } : { ...filter, providerName: provider };
  }
}

function toSummary(totals: LogTotals): LogSummary {
  const average = (sum: number) => (totals.successes > 0 ? Math.round((sum / totals.successes) * 10) / 10 : 0);
  return {
    requests: totals.requests,
    successes: totals.successes,
    errors: totals.requests - totals.successes,
    prompt_tokens: totals.prompt_tokens,
    completion_tokens: totals.completion_tokens,
    total_tokens: totals.total_tokens,
    // Each cost is stored to 1e-8; rounding the sum there hides float summation order between databases.
    cost_usd: Math.round(totals.cost_usd * 1e8) / 1e8,
    avg_latency_ms: average(totals.success_latency_ms),
    avg_first_byte_ms: average(totals.success_first_byte_ms),
  };
}

// eslint-disable-next-line @typescript-eslint/require-await -- an async iterable of one chunk
async function* headerOnly(): AsyncGenerator<string> {
  yield csvLine(CSV_COLUMNS);
}

export const CSV_COLUMNS = [
  'id',
  'request_id',
  'created_at',
  'time',
  'user_id',
  'aggregated_token_id',
  'provider_id',
  'provider_name',
  'model_name',
  'endpoint',
  'is_stream',
  'status',
  'http_status',
  'error_type',
  'error_message',
  'attempt',
  'latency_ms',
  'first_byte_ms',
  'prompt_tokens',
  'completion_tokens',
  'cache_tokens',
  'total_tokens',
  'cost_usd',
  'client_ip',
  'user_agent',
] as const;

function csvValues(row: UsageLogRow): Array<string | number> {
  return CSV_COLUMNS.map((column) => (column === 'time' ? new Date(row.created_at * 1000).toISOString() : row[column]));
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvLine(values: ReadonlyArray<string | number>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * A text that a spreadsheet would run as a formula (= + - @, and tab or CR that some treat the same
 * way) gets a leading single quote; a field holding a comma, quote or line break is quoted, its
 * quotes doubled. Numbers are ours, never a formula, and stay as they are.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
