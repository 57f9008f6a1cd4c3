import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types of the eight tables (architecture.md §5). Times are Unix seconds; flags are 0/1
 * integers so that all three databases return the same values. `Generated` marks columns the
 * database fills with a default when an insert leaves them out.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  display_name: Generated<string>;
  email: Generated<string>;
  role: Generated<number>;
  status: Generated<number>;
  /** SHA-256 of the personal access token; null when none was generated. */
  access_token_hash: string | null;
  /** Bumped on password change and disable, which ends every session issued before. */
  session_version: Generated<number>;
  created_at: Generated<number>;
  updated_at: Generated<number>;
}

export interface OptionsTable {
  key: string;
  value: string;
  updated_at: Generated<number>;
}

export interface ProvidersTable {
  id: Generated<number>;
  name: string;
  base_url: string;
  access_token: string;
  user_id: Generated<number>;
  weight: Generated<number>;
  priority: Generated<number>;
  status: Generated<number>;
  checkin_enabled: Generated<number>;
  last_checkin_at: Generated<number>;
  last_checkin_result: string;
  last_synced_at: Generated<number>;
  last_sync_result: string;
  balance_usd: number | null;
  balance_updated_at: Generated<number>;
  /** JSON object group → ratio, from the upstream's pricing. */
  group_ratios: string;
  /** JSON array of the upstream's auto groups, for tokens in the `auto` group. */
  auto_groups: string;
  /** The upstream user's own group, which tokens with an empty group use. */
  user_group: Generated<string>;
  remark: string;
  created_at: Generated<number>;
  updated_at: Generated<number>;
}

export interface ProviderTokensTable {
  id: Generated<number>;
  provider_id: number;
  upstream_token_id: number;
  sk_key: string;
  name: Generated<string>;
  group_name: Generated<string>;
  status: Generated<number>;
  remain_quota: Generated<number>;
  used_quota: Generated<number>;
  unlimited_quota: Generated<number>;
  model_limits_enabled: Generated<number>;
  model_limits: string;
  expired_time: Generated<number>;
  last_synced_at: Generated<number>;
  created_at: Generated<number>;
}

export interface AggregatedTokensTable {
  id: Generated<number>;
  user_id: number;
  key: string;
  name: Generated<string>;
  status: Generated<number>;
  expired_time: Generated<number>;
  model_limits_enabled: Generated<number>;
  model_limits: string;
  allow_ips: string;
  created_at: Generated<number>;
  updated_at: Generated<number>;
  accessed_at: Generated<number>;
}

export interface ModelRoutesTable {
  id: Generated<number>;
  model_name: string;
  provider_id: number;
  provider_token_id: number;
  priority: Generated<number>;
  weight: Generated<number>;
  enabled: Generated<number>;
  /** 1 once an admin set priority or weight by hand; rebuilds then keep them. */
  overridden: Generated<number>;
  created_at: Generated<number>;
  updated_at: Generated<number>;
}

export interface ModelPricingsTable {
  id: Generated<number>;
  provider_id: number;
  model_name: string;
  quota_type: Generated<number>;
  model_ratio: Generated<number>;
  completion_ratio: Generated<number>;
  model_price: Generated<number>;
  enable_groups: string;
  supported_endpoint_types: string;
  last_synced_at: Generated<number>;
}

export interface UsageLogsTable {
  id: Generated<number>;
  request_id: string;
  created_at: number;
  user_id: Generated<number>;
  aggregated_token_id: Generated<number>;
  provider_id: Generated<number>;
  provider_name: Generated<string>;
  provider_token_id: Generated<number>;
  route_id: Generated<number>;
  model_name: Generated<string>;
  endpoint: Generated<string>;
  is_stream: Generated<number>;
  status: Generated<number>;
  http_status: Generated<number>;
  error_type: Generated<string>;
  error_message: string;
  attempt: Generated<number>;
  /** 1 on the attempt that decided the request's outcome; 0 on the failed attempts before it. */
  final: Generated<number>;
  latency_ms: Generated<number>;
  first_byte_ms: Generated<number>;
  prompt_tokens: Generated<number>;
  completion_tokens: Generated<number>;
  cache_tokens: Generated<number>;
  total_tokens: Generated<number>;
  cost_usd: Generated<number>;
  client_ip: Generated<string>;
  user_agent: Generated<string>;
}

export interface ClusterLeasesTable {
  name: string;
  /** Who holds the lease; empty when released. */
  holder: Generated<string>;
  /** Epoch milliseconds. */
  expires_at: Generated<number>;
}

export interface ClusterMarksTable {
  name: string;
  value: Generated<string>;
  updated_at: Generated<number>;
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
  cluster_leases: ClusterLeasesTable;
  cluster_marks: ClusterMarksTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
