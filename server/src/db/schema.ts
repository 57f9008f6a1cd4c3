import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types of the eight tables (architecture.md §5). Times are Unix seconds; flags are 0/1
 * integers so that all three databases return the same values.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  display_name: string;
  email: string;
  role: number;
  status: number;
  /** SHA-256 of the personal access token; null when none was generated. */
  access_token_hash: string | null;
  /** Bumped on password change and disable, which ends every session issued before. */
  session_version: number;
  created_at: number;
  updated_at: number;
}

export interface OptionsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface ProvidersTable {
  id: Generated<number>;
  name: string;
  base_url: string;
  access_token: string;
  user_id: number;
  weight: number;
  priority: number;
  status: number;
  checkin_enabled: number;
  last_checkin_at: number;
  last_checkin_result: string;
  last_synced_at: number;
  last_sync_result: string;
  balance_usd: number | null;
  balance_updated_at: number;
  group_ratios: string;
  remark: string;
  created_at: number;
  updated_at: number;
}

export interface ProviderTokensTable {
  id: Generated<number>;
  provider_id: number;
  upstream_token_id: number;
  sk_key: string;
  name: string;
  group_name: string;
  status: number;
  remain_quota: number;
  used_quota: number;
  unlimited_quota: number;
  model_limits_enabled: number;
  model_limits: string;
  expired_time: number;
  last_synced_at: number;
  created_at: number;
}

export interface AggregatedTokensTable {
  id: Generated<number>;
  user_id: number;
  key: string;
  name: string;
  status: number;
  expired_time: number;
  model_limits_enabled: number;
  model_limits: string;
  allow_ips: string;
  created_at: number;
  updated_at: number;
  accessed_at: number;
}

export interface ModelRoutesTable {
  id: Generated<number>;
  model_name: string;
  provider_id: number;
  provider_token_id: number;
  priority: number;
  weight: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface ModelPricingsTable {
  id: Generated<number>;
  provider_id: number;
  model_name: string;
  quota_type: number;
  model_ratio: number;
  completion_ratio: number;
  model_price: number;
  enable_groups: string;
  supported_endpoint_types: string;
  last_synced_at: number;
}

export interface UsageLogsTable {
  id: Generated<number>;
  request_id: string;
  created_at: number;
  user_id: number;
  aggregated_token_id: number;
  provider_id: number;
  provider_name: string;
  provider_token_id: number;
  route_id: number;
  model_name: string;
  endpoint: string;
  is_stream: number;
  status: number;
  http_status: number;
  error_type: string;
  error_message: string;
  attempt: number;
  latency_ms: number;
  first_byte_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  cache_tokens: number;
  total_tokens: number;
  cost_usd: number;
  client_ip: string;
  user_agent: string;
}

export interface Database {
  users: UsersTable;
  options: OptionsTable;
  providers: ProvidersTable;
  provider_tokens: ProviderTokensTable;
  aggregated_tokens: AggregatedTokensTable;
  model_routes: ModelRoutesTable;
  model_pricings: ModelPricingsTable;
  usage_logs: UsageLogsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
