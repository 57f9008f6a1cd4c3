import { api, type Page } from './client.js';

/** The call log (server/src/services/logs.ts, server/src/api/routes/logs.ts). */

/** One usage row: an upstream attempt (or a `no_route` refusal). */
export interface UsageLogRow {
  id: number;
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
  /** 1 streamed. */
  is_stream: number;
  /** 1 success, 0 failure. */
  status: number;
  http_status: number;
  error_type: string;
  error_message: string;
  attempt: number;
  final: number;
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

/** One client request: its deciding row plus the failed attempts before it, oldest first. */
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
  avg_latency_ms: number;
  avg_first_byte_ms: number;
}

export interface LogPage extends Page<LogItem> {
  summary: LogSummary;
}

/** The query parameters both list and export take; empty means "any". */
export interface LogQueryParams {
  start_time?: number;
  end_time?: number;
  model?: string;
  provider?: string;
  token_id?: number;
  user_id?: number;
  status?: 'success' | 'error';
  stream?: 'true' | 'false';
  request_id?: string;
}

/** Whose logs: your own (any user) or everyone's (admins). */
export type LogScope = 'self' | 'all';

export const logListPath = (scope: LogScope) => (scope === 'self' ? '/api/log/self' : '/api/log/');
export const logExportPath = (scope: LogScope) => (scope === 'self' ? '/api/log/self/export' : '/api/log/export');

export const fetchLogs = (scope: LogScope, params: LogQueryParams, page: number, pageSize: number) =>
  api.get<LogPage>(logListPath(scope), { ...params, p: page, page_size: pageSize });
