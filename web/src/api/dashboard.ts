import { api } from './client.js';

/** GET /api/dashboard (admin): one window's traffic, spend and health (server/src/services/dashboard.ts). */
export const DASHBOARD_WINDOWS = ['today', '7d', '30d'] as const;
export type DashboardWindow = (typeof DASHBOARD_WINDOWS)[number];
export type DashboardBucket = 'hour' | 'day';

export interface DashboardTotals {
  requests: number;
  successes: number;
  errors: number;
  /** 0..1, four digits. */
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
  /** 0..1. */
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

/** One bucket of the series; `time` is its start (Unix seconds). */
export interface SeriesPoint {
  time: number;
  requests: number;
  errors: number;
  tokens: number;
  cost_usd: number;
}

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

export interface ProviderBalance {
  id: number;
  name: string;
  /** 1 enabled, 2 disabled. */
  status: number;
  /** null until the balance was first read. */
  balance_usd: number | null;
  balance_updated_at: number;
}

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
  bucket: DashboardBucket;
  totals: DashboardTotals;
  by_provider: ProviderStat[];
  by_model: ModelStat[];
  series: SeriesPoint[];
  top_tokens: TopToken[];
  top_users: TopUser[];
  provider_balances: ProviderBalance[];
  failing_routes: FailingRoute[];
}

export const fetchDashboard = (window: DashboardWindow) => api.get<Dashboard>('/api/dashboard', { window });
