import { describe, expect, it } from 'vitest';
import { estimateCostUsd, priceInUsd } from './pricing.js';

it('turns ratios into USD per 1M tokens, and per-call prices into USD per call', () => {
  expect(priceInUsd({ quotaType: 0, modelRatio: 1.25, completionRatio: 4, modelPrice: 0 })).toEqual({
    billing: 'per_token',
    input_per_1m: 2.5,
    output_per_1m: 10,
    per_call: null,
  });
  expect(priceInUsd({ quotaType: 0, modelRatio: 1.25, completionRatio: 4, modelPrice: 0 }, 0.5)).toMatchObject({
    input_per_1m: 1.25,
    output_per_1m: 5,
  });
  expect(priceInUsd({ quotaType: 1, modelRatio: 0, completionRatio: 0, modelPrice: 0.04 }, 1.5)).toEqual({
    billing: 'per_call',
    input_per_1m: null,
    output_per_1m: null,
    per_call: 0.06,
  });
});

describe('estimateCostUsd', () => {
  const usage = { promptTokens: 1000, completionTokens: 500, cacheTokens: 800, totalTokens: 1500 };

  it('prices tokens with NewAPI’s formula: (prompt + completion × completion_ratio) × ratios × $2 / 1M', () => {
    // gpt-4o on NewAPI: model_ratio 1.25 ($2.5/1M in), completion_ratio 4 ($10/1M out).
    const gpt4o = { quotaType: 0, modelRatio: 1.25, completionRatio: 4, modelPrice: 0 };
    expect(estimateCostUsd(usage, gpt4o)).toBe(0.0075); // 1000 × 2.5e-6 + 500 × 1e-5
    expect(estimateCostUsd(usage, gpt4o, 0.5)).toBe(0.00375);
    expect(estimateCostUsd(usage, gpt4o, 1.2)).toBe(0.009);
    // Cache tokens are part of promptTokens and are not priced apart.
    expect(estimateCostUsd({ ...usage, cacheTokens: 0 }, gpt4o)).toBe(0.0075);
    expect(estimateCostUsd({ promptTokens: 0, completionTokens: 0, cacheTokens: 0, totalTokens: 0 }, gpt4o)).toBe(0);
  });

  it('rounds to 1e-8 USD', () => {
    const cheap = { quotaType: 0, modelRatio: 0.075, completionRatio: 4, modelPrice: 0 };
    // (7 + 3 × 4) × 0.075 × 2 / 1e6 = 2.85e-6
    expect(estimateCostUsd({ promptTokens: 7, completionTokens: 3, cacheTokens: 0, totalTokens: 10 }, cheap)).toBe(
      0.00000285,
    );
    // 1 × 0.0333 × 2 / 1e6 = 6.66e-8 → 7e-8
    const tiny = { quotaType: 0, modelRatio: 0.0333, completionRatio: 1, modelPrice: 0 };
    expect(estimateCostUsd({ promptTokens: 1, completionTokens: 0, cacheTokens: 0, totalTokens: 1 }, tiny)).toBe(
      0.00000007,
    );
  });

  it('charges per-call models model_price × group_ratio, whatever the usage', () => {
    const perCall = { quotaType: 1, modelRatio: 0, completionRatio: 0, modelPrice: 0.04 };
    expect(estimateCostUsd(usage, perCall)).toBe(0.04);
    expect(estimateCostUsd(usage, perCall, 1.5)).toBe(0.06);
    expect(
      estimateCostUsd({ promptTokens: 0, completionTokens: 0, cacheTokens: 0, totalTokens: 0 }, perCall, 0.1),
    ).toBe(0.004);
  });
});
