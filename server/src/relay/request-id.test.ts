import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

describe('newRequestId', () => {
  it('is a UUIDv7 in 32 hex digits, ordered by time', () => {
    const id = newRequestId(1_764_400_000_000);
    expect(id).toMatch(/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(id.slice(0, 12)).toBe((1_764_400_000_000).toString(16).padStart(12, '0'));
    expect(newRequestId(1_764_400_000_001) > id).toBe(true);
  });

  it('does not repeat within a millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newRequestId(1)));
    expect(ids.size).toBe(10_000);
  });
});
