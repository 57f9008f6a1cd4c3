/**
 * NewAPI's price arithmetic (newapi-upstream.md §3): model_ratio 1 is $2 per 1M input tokens;
 * output costs completion_ratio times input; per-call models cost model_price per request; the
 * group ratio multiplies everything.
 */
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

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
