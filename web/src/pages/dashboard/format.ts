import type { DashboardBucket, ProviderBalance, SeriesPoint } from '../../api/dashboard.js';

const pad = (n: number) => String(n).padStart(2, '0');
const HOUR = 3600;
const DAY = 86_400;

/**
 * A bucket's axis label in local time: `14:00` for an hour (its start), `05-31` for a day. Day buckets
 * are the rolling 24 hours before now, before that, …; each is named by the date it ends on, so the
 * last one, which ends now, is today.
 */
export function bucketLabel(time: number, bucket: DashboardBucket): string {
  const date = new Date((bucket === 'hour' ? time : time + DAY) * 1000);
  return bucket === 'hour' ? `${pad(date.getHours())}:00` : `${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A bucket's whole span for a tooltip: `05-31 14:00–15:00`, or `05-30 09:12 – 05-31 09:12` for days. */
export function bucketRange(time: number, bucket: DashboardBucket): string {
  const stamp = (unix: number) => {
    const d = new Date(unix * 1000);
    return {
      day: `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
      clock: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
    };
  };
  const from = stamp(time);
  const to = stamp(time + (bucket === 'hour' ? HOUR : DAY));
  if (bucket === 'hour') return `${from.day} ${from.clock}–${to.clock}`;
  return `${from.day} ${from.clock} – ${to.day} ${to.clock}`;
}

export interface ChartPoint extends SeriesPoint {
  label: string;
  range: string;
  successes: number;
}

/** The series with labels for the charts' axes and tooltips. */
export function chartPoints(series: readonly SeriesPoint[], bucket: DashboardBucket): ChartPoint[] {
  return series.map((point) => ({
    ...point,
    successes: Math.max(0, point.requests - point.errors),
    label: bucketLabel(point.time, bucket),
    range: bucketRange(point.time, bucket),
  }));
}

/** A 0..1 ratio as a percentage with one decimal; a dash when nothing was counted. */
export function percent(ratio: number, counted: number): string {
  if (counted <= 0) return '—';
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

/** The colour a success rate deserves; an error rate is judged as its complement. */
export function rateColor(successRatio: number, counted: number): 'success' | 'warning' | 'danger' | undefined {
  if (counted <= 0) return undefined;
  if (successRatio >= 0.99) return 'success';
  if (successRatio >= 0.9) return 'warning';
  return 'danger';
}

/** Milliseconds as `850 ms` or `1.25 s`; a dash when there is no average. */
export function formatMs(ms: number): string {
  if (!ms) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Thousands separated; plain digits for small numbers. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Below this a balance is shown as low. */
export const LOW_BALANCE_USD = 1;

export type BalanceState = 'disabled' | 'unknown' | 'empty' | 'low' | 'ok';

/** What a provider's balance says: a disabled provider first, then unread, used up, low or fine. */
export function balanceState(balance: ProviderBalance): BalanceState {
  if (balance.status !== 1) return 'disabled';
  if (balance.balance_usd === null) return 'unknown';
  if (balance.balance_usd <= 0) return 'empty';
  if (balance.balance_usd < LOW_BALANCE_USD) return 'low';
  return 'ok';
}

export const BALANCE_COLORS: Record<BalanceState, string> = {
  disabled: 'default',
  unknown: 'default',
  empty: 'error',
  low: 'warning',
  ok: 'success',
};
