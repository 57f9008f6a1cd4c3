import { describe, expect, it } from 'vitest';
import { healthVerdict, isRetryableStatus, retryAfterMs } from './retry.js';

describe('isRetryableStatus', () => {
  it('retries the provider’s faults and never the client’s', () => {
    for (const status of [429, 500, 502, 503, 504, 401, 403]) expect(isRetryableStatus(status, '')).toBe(true);
    for (const status of [400, 404, 413, 422]) expect(isRetryableStatus(status, '')).toBe(false);
    expect(isRetryableStatus(404, '{"error":{"code":"model_not_found"}}')).toBe(true);
  });
});

describe('healthVerdict', () => {
  const failed = (httpStatus: number, errorType = 'upstream_status', errorBody = '') => ({
    ok: false,
    httpStatus,
    errorType,
    errorBody,
  });
  it('judges each outcome', () => {
    expect(healthVerdict({ ok: true, httpStatus: 200, errorType: '' })).toBe('success');
    expect(healthVerdict(failed(0, 'client_closed'))).toBe('neutral');
    expect(healthVerdict(failed(0, 'timeout'))).toBe('upstream');
    expect(healthVerdict(failed(200, 'stream_interrupted'))).toBe('upstream');
    expect(healthVerdict(failed(401))).toBe('key_rejected');
    expect(healthVerdict(failed(503, 'upstream_status', '{"error":{"code":"model_not_found"}}'))).toBe('model_missing');
    expect(healthVerdict(failed(429))).toBe('upstream');
    expect(healthVerdict(failed(500))).toBe('upstream');
    expect(healthVerdict(failed(400, 'upstream_status', 'context_length_exceeded'))).toBe('neutral');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('30', 0)).toBe(30_000);
    expect(retryAfterMs(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
    expect(retryAfterMs(undefined, 0)).toBe(0);
    expect(retryAfterMs('soon', 0)).toBe(0);
  });
});
