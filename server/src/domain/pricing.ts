/**
 * NewAPI's price arithmetic (newapi-upstream.md §3): model_ratio 1 is $2 per 1M input tokens;
 * output costs completion_ratio times input; per-call models cost model_price per request; the
 * group ratio multiplies everything.
 */
import type { Usage } from './usage.js';

export const USD_PER_1M_AT_RATIO_1 = 2;

export interface PriceInput {
  quotaType: number;
  modelRatio: number;
  completionRatio: number;
  modelPrice: number;
}

export interface Price {
  billing: 'per_token' | 'per_call';
  input_per_1m: number | null;
  output_per_1m: number | null;
  per_call: number | null;
}

export function priceInUsd(item: PriceInput, groupRatio = 1): Price {
  if (item.quotaType === 1) {
    return {
      billing: 'per_call',
      input_per_1m: null,
      output_per_1m: null,
      per_call: round(item.modelPrice * groupRatio),
    };
  }
  const input = USD_PER_1M_AT_RATIO_1 * item.modelRatio * groupRatio;
  return {
    billing: 'per_token',
    input_per_1m: round(input),
    output_per_1m: round(input * item.completionRatio),
    per_call: null,
  };
}

/**
 * What NewAPI charges for one request, in USD, from its token usage:
 * - per token: (prompt + completion × completion_ratio) × model_ratio × group_ratio × $2 / 1M;
 * - per call (quotaType 1): model_price × group_ratio, whatever the usage.
 * Rounded to 1e-8 USD.
 *
 * Cache tokens are not priced apart: NewAPI bills cache reads (and Anthropic cache writes)
 * with a cache ratio that `/api/pricing` does not expose, so we cannot sync it. `promptTokens`
 * includes the cached tokens, so they are costed as ordinary input: an over-estimate for cache
 * reads, an under-estimate for Anthropic cache writes.
 */
export function estimateCostUsd(usage: Usage, price: PriceInput, groupRatio = 1): number {
  if (price.quotaType === 1) return roundTo(price.modelPrice * groupRatio, 1e8);
  const weightedTokens = usage.promptTokens + usage.completionTokens * price.completionRatio;
  return roundTo((weightedTokens * price.modelRatio * groupRatio * USD_PER_1M_AT_RATIO_1) / 1e6, 1e8);
}

function round(value: number): number {
  return roundTo(value, 1e6);
}

function roundTo(value: number, scale: number): number {
  return Math.round(value * scale) / scale;
}
