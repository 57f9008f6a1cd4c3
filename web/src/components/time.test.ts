import { describe, expect, it } from 'vitest';
import { formatTime, formatUsd } from './time.js';

describe('formatTime', () => {
  it('shows never for 0 and -1, and local time otherwise', () => {
    expect(formatTime(0, 'never')).toBe('never');
    expect(formatTime(-1, 'never')).toBe('never');
    const at = Math.floor(new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000);
    expect(formatTime(at)).toBe('2026-01-02 03:04:05');
  });
});

describe('formatUsd', () => {
  it('rounds to the digits asked and shows a dash for unknown', () => {
    expect(formatUsd(1.23456)).toBe('$1.2346');
    expect(formatUsd(2, 2)).toBe('$2.00');
    expect(formatUsd(null)).toBe('—');
  });
});
