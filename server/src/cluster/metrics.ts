import { Gauge } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';

/** Whether this process holds the jobs lease: across a fleet, exactly one scrape should say 1. */
export function registerLeaderGauge(metrics: Metrics, isLeader: () => boolean): void {
  new Gauge({
    name: 'gateway_jobs_leader',
    help: '1 when this process runs the scheduled jobs (sync, check-in, retention)',
    registers: metrics.registers,
    collect() {
      this.set(isLeader() ? 1 : 0);
    },
  });
}
