/** Reading sync reports and check-in results for display. */
import type { CheckinResult, CheckinStatus, SyncReport, SyncStepName } from '../../api/providers.js';

export type SyncState = 'never' | 'ok' | 'failed';

export interface SyncSummary {
  state: SyncState;
  failedSteps: SyncStepName[];
  /** One line per failed step: `step: error`. */
  errors: { step: SyncStepName; error: string }[];
  durationMs: number;
}

/** What a report says at a glance: ok, or which steps failed and why. */
export function summariseSyncReport(report: SyncReport | null | undefined): SyncSummary {
  if (!report || !Array.isArray(report.steps)) return { state: 'never', failedSteps: [], errors: [], durationMs: 0 };
  const failed = report.steps.filter((step) => !step.ok);
  return {
    state: report.ok && failed.length === 0 ? 'ok' : 'failed',
    failedSteps: failed.map((step) => step.step),
    errors: failed.map((step) => ({ step: step.step, error: step.error ?? '' })),
    durationMs: report.steps.reduce((sum, step) => sum + (step.ms || 0), 0),
  };
}

/** The order counts are shown in; keys the server adds later come after, alphabetically. */
const COUNT_ORDER = [
  'models',
  'tokens',
  'routes',
  'added',
  'updated',
  'removed',
  'revealed',
  'reveal_failed',
  'quota',
  'used_quota',
  'quota_per_unit',
];

export function orderedCounts(counts: Record<string, number> | undefined): [string, number][] {
  const entries = Object.entries(counts ?? {});
  const rank = (key: string) => {
    const index = COUNT_ORDER.indexOf(key);
    return index === -1 ? COUNT_ORDER.length : index;
  };
  return entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The upstream's quota units per USD, from the balance step of the latest sync; null when unknown. */
export function quotaPerUnit(report: SyncReport | null | undefined): number | null {
  const balance = report?.steps?.find((step) => step.step === 'balance' && step.ok);
  const perUnit = balance?.counts?.quota_per_unit;
  return typeof perUnit === 'number' && perUnit > 0 ? perUnit : null;
}

/** A quota in USD when the rate is known, else the raw units. */
export function quotaText(quota: number, perUnit: number | null): string {
  if (perUnit) return `$${(quota / perUnit).toFixed(2)}`;
  return quota.toLocaleString('en-US');
}

export type Tone = 'success' | 'info' | 'warning' | 'error';

const CHECKIN_TONE: Record<CheckinStatus, Tone> = {
  done: 'success',
  already: 'info',
  disabled: 'warning',
  unsupported: 'warning',
  failed: 'error',
};

export function checkinTone(result: Pick<CheckinResult, 'status'> | null | undefined): Tone | null {
  if (!result) return null;
  return CHECKIN_TONE[result.status] ?? 'warning';
}

/** antd Tag colours for each tone. */
export const TONE_COLOR: Record<Tone, string> = {
  success: 'green',
  info: 'blue',
  warning: 'orange',
  error: 'red',
};
