import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';

/** Every field of a record, so that a field added to `UsageRecord` cannot be left out of the insert. */
const COLUMN_SET: Record<keyof UsageRecord, true> = {
  request_id: true,
  created_at: true,
  user_id: true,
  aggregated_token_id: true,
  provider_id: true,
  provider_name: true,
  provider_token_id: true,
  route_id: true,
  model_name: true,
  endpoint: true,
  is_stream: true,
  status: true,
  http_status: true,
  error_type: true,
  error_message: true,
  attempt: true,
  final: true,
  latency_ms: true,
  first_byte_ms: true,
  prompt_tokens: true,
  completion_tokens: true,
  cache_tokens: true,
  total_tokens: true,
  cost_usd: true,
  client_ip: true,
  user_agent: true,
};

/** The columns of the single-row usage insert, in the order of its placeholders. */
export const USAGE_COLUMNS = Object.keys(COLUMN_SET) as (keyof UsageRecord)[];

/** The single-row insert as Kysely writes it for this dialect. */
export function usageInsertSql(db: Kysely<Database>): string {
  const row = Object.fromEntries(USAGE_COLUMNS.map((column) => [column, 0])) as unknown as UsageRecord;
  return db.insertInto('usage_logs').values(row).compile().sql;
}

/** Every row's values, one after the other. */
export function usageValuesFlat(rows: readonly UsageRecord[]): unknown[] {
  const width = USAGE_COLUMNS.length;
  const values = new Array<unknown>(rows.length * width);
  let i = 0;
  for (const row of rows) for (let c = 0; c < width; c++) values[i++] = row[USAGE_COLUMNS[c]!];
  return values;
}
