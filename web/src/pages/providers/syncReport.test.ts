import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../api/providers.js';
import { checkinTone, orderedCounts, quotaPerUnit, quotaText, summariseSyncReport } from './syncReport.js';

const report: SyncReport = {
  provider_id: 2,
  ok: false,
  started_at: 100,
  finished_at: 101,
  steps: [
    { step: 'pricing', ok: true, counts: { models: 3, added: 0, updated: 0, removed: 0 }, ms: 3 },
    { step: 'tokens', ok: false, error: 'upstream refused: Unauthorized', counts: {}, ms: 1 },
    { step: 'balance', ok: false, error: 'timeout', counts: {}, ms: 2 },
    { step: 'routes', ok: true, counts: { routes: 0, added: 0, updated: 0, removed: 0 }, ms: 0 },
  ],
};

describe('summariseSyncReport', () => {
  it('says never without a report', () => {
    expect(summariseSyncReport(null).state).toBe('never');
    expect(summariseSyncReport(undefined).failedSteps).toEqual([]);
  });

  it('lists the failed steps with their errors', () => {
    const summary = summariseSyncReport(report);
    expect(summary.state).toBe('failed');
    expect(summary.failedSteps).toEqual(['tokens', 'balance']);
    expect(summary.errors).toEqual([
      { step: 'tokens', error: 'upstream refused: Unauthorized' },
      { step: 'balance', error: 'timeout' },
    ]);
    expect(summary.durationMs).toBe(6);
  });

  it('is ok when every step is', () => {
    const fine = { ...report, ok: true, steps: report.steps.map((step) => ({ ...step, ok: true, error: undefined })) };
    expect(summariseSyncReport(fine)).toMatchObject({ state: 'ok', failedSteps: [], errors: [] });
  });
});

describe('orderedCounts', () => {
  it('puts the totals first and unknown keys last', () => {
    expect(orderedCounts({ removed: 1, zeta: 9, added: 2, tokens: 4, alpha: 0 }).map(([key]) => key)).toEqual([
      'tokens',
      'added',
      'removed',
      'alpha',
      'zeta',
    ]);
    expect(orderedCounts(undefined)).toEqual([]);
  });
});

describe('quota helpers', () => {
  it('reads the rate from a successful balance step', () => {
    const withBalance: SyncReport = {
      ...report,
      steps: [{ step: 'balance', ok: true, counts: { quota: 1_000_000, quota_per_unit: 500_000 }, ms: 1 }],
    };
    expect(quotaPerUnit(withBalance)).toBe(500_000);
    expect(quotaPerUnit(report)).toBeNull();
    expect(quotaPerUnit(null)).toBeNull();
  });

  it('shows USD when the rate is known', () => {
    expect(quotaText(1_250_000, 500_000)).toBe('$2.50');
    expect(quotaText(1_250_000, null)).toBe('1,250,000');
  });
});

describe('checkinTone', () => {
  it('maps each status', () => {
    expect(checkinTone({ status: 'done' })).toBe('success');
    expect(checkinTone({ status: 'already' })).toBe('info');
    expect(checkinTone({ status: 'unsupported' })).toBe('warning');
    expect(checkinTone({ status: 'failed' })).toBe('error');
    expect(checkinTone(null)).toBeNull();
  });
});
