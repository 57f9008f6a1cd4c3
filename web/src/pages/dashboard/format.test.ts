import { describe, expect, it } from 'vitest';
import type { ProviderBalance } from '../../api/dashboard.js';
import {
  balanceState,
  bucketLabel,
  bucketRange,
  chartPoints,
  formatCount,
  formatMs,
  percent,
  rateColor,
} from './format.js';

const at = (y: number, m: number, d: number, h = 0, min = 0) =>
  Math.floor(new Date(y, m - 1, d, h, min).getTime() / 1000);

describe('bucket labels', () => {
  it('labels hours by the clock and days by the date, in local time', () => {
    expect(bucketLabel(at(2026, 5, 31, 14), 'hour')).toBe('14:00');
    expect(bucketLabel(at(2026, 5, 31, 0), 'hour')).toBe('00:00');
    expect(bucketLabel(at(2026, 1, 2, 9, 12), 'day')).toBe('01-03');
    expect(bucketLabel(at(2026, 12, 31, 0), 'day')).toBe('01-01');
  });

  it('spans the whole bucket in the tooltip', () => {
    expect(bucketRange(at(2026, 5, 31, 14), 'hour')).toBe('05-31 14:00–15:00');
    expect(bucketRange(at(2026, 5, 30, 9, 12), 'day')).toBe('05-30 09:12 – 05-31 09:12');
  });

  it('adds labels and successes to every point', () => {
    const time = at(2026, 5, 31, 3);
    expect(chartPoints([{ time, requests: 5, errors: 2, tokens: 10, cost_usd: 0.5 }], 'hour')).toEqual([
      {
        time,
        requests: 5,
        errors: 2,
        tokens: 10,
        cost_usd: 0.5,
        successes: 3,
        label: '03:00',
        range: '05-31 03:00–04:00',
      },
    ]);
  });
});

describe('rates', () => {
  it('shows a percentage with one decimal, or a dash when nothing was counted', () => {
    expect(percent(0.9876, 100)).toBe('98.8%');
    expect(percent(1, 3)).toBe('100.0%');
    expect(percent(0, 3)).toBe('0.0%');
    expect(percent(0, 0)).toBe('—');
  });

  it('colours a success rate by how healthy it is', () => {
    expect(rateColor(0.995, 10)).toBe('success');
    expect(rateColor(0.95, 10)).toBe('warning');
    expect(rateColor(0.5, 10)).toBe('danger');
    expect(rateColor(0, 0)).toBeUndefined();
  });
});

describe('numbers', () => {
  it('formats durations and counts', () => {
    expect(formatMs(0)).toBe('—');
    expect(formatMs(850.4)).toBe('850 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('balanceState', () => {
  const provider = (balance_usd: number | null, status = 1): ProviderBalance => ({
    id: 1,
    name: 'A',
    status,
    balance_usd,
    balance_updated_at: 0,
  });

  it('says disabled first, then unread, used up, low or fine', () => {
    expect(balanceState(provider(10, 2))).toBe('disabled');
    expect(balanceState(provider(null))).toBe('unknown');
    expect(balanceState(provider(0))).toBe('empty');
    expect(balanceState(provider(-1))).toBe('empty');
    expect(balanceState(provider(0.5))).toBe('low');
    expect(balanceState(provider(24.69))).toBe('ok');
  });
});
