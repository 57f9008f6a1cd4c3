import { expect, it } from 'vitest';
import { priceInUsd } from './pricing.js';

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
