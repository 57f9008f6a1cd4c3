/** One row of the call log: one upstream attempt, or a request refused before any attempt. */
export interface UsageRecord {
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
  /** 1 success, 0 failure. */
  status: number;
  http_status: number;
  error_type: string;
  error_message: string;
  attempt: number;
  /** 1 on the attempt whose outcome the client got; 0 on earlier failed attempts. */
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

/** Where the relay hands its records; writing them is someone else's job, off the request path. */
export interface UsageSink {
  record(row: UsageRecord): void;
}
