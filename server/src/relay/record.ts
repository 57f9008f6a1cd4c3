import type { Route } from '../domain/route-table.js';
import type { Usage } from '../domain/usage.js';
import { estimateCostUsd } from '../domain/pricing.js';
import type { UsageRecord } from '../domain/usage-record.js';
import type { RelayRequest } from './context.js';

export interface AttemptOutcome {
  route: Route | undefined;
  attempt: number;
  ok: boolean;
  httpStatus: number;
  errorType: string;
  errorMessage: string;
  isStream: boolean;
  latencyMs: number;
  firstByteMs: number;
  usage: Usage | undefined;
  /** The start of the upstream's error body, to judge the route's health; never stored. */
  errorBody?: string;
  retryAfterMs?: number;
}

const MAX_ERROR_MESSAGE = 1000;

/** The usage row for one attempt: never the prompt, never a key. */
export function usageRecord(request: RelayRequest, outcome: AttemptOutcome, final: boolean): UsageRecord {
  const usage = outcome.usage;
  const route = outcome.route;
  return {
    request_id: request.requestId,
    created_at: request.createdAt,
    user_id: request.token.userId,
    aggregated_token_id: request.token.id,
    provider_id: route?.providerId ?? 0,
    provider_name: route?.providerName ?? '',
    provider_token_id: route?.providerTokenId ?? 0,
    route_id: route?.id ?? 0,
    model_name: request.model.slice(0, 191),
    endpoint: request.endpoint.path,
    is_stream: outcome.isStream ? 1 : 0,
    status: outcome.ok ? 1 : 0,
    http_status: outcome.httpStatus,
    error_type: outcome.errorType.slice(0, 64),
    error_message: scrub(outcome.errorMessage, request).slice(0, MAX_ERROR_MESSAGE),
    attempt: outcome.attempt,
    final: final ? 1 : 0,
    latency_ms: Math.round(outcome.latencyMs),
    first_byte_ms: Math.round(outcome.firstByteMs),
    prompt_tokens: usage?.promptTokens ?? 0,
    completion_tokens: usage?.completionTokens ?? 0,
    cache_tokens: usage?.cacheTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
    cost_usd: usage && route?.price ? estimateCostUsd(usage, route.price, route.groupRatio) : 0,
    client_ip: request.clientIp.slice(0, 64),
    user_agent: request.userAgent.slice(0, 512),
  };
}

/** Upstream error texts can quote the key they were sent; that never reaches the log table. */
function scrub(message: string, request: RelayRequest): string {
  if (!message) return message;
  return message
    .replace(/sk-[A-Za-z0-9]{8,}/g, 'sk-***')
    .split(request.clientKey.key)
    .join('***');
}
