import { Gauge } from 'prom-client';
import type { Metrics } from './metrics.js';

export interface CollectorSources {
  coolingRoutes: () => number;
  usageQueue: () => { queued: number; written: number; dropped: number };
  balances: () => Promise<Array<{ name: string; balance_usd: number | null }>>;
}

/** Gauges read when Prometheus scrapes, so nothing on the request path keeps them current. */
export function registerCollectors(metrics: Metrics, sources: CollectorSources): void {
  const { registers } = metrics;
  new Gauge({
    name: 'gateway_usage_queue_depth',
    help: 'Usage records waiting to be written',
    registers,
    collect() {
      this.set(sources.usageQueue().queued);
    },
  });
  new Gauge({
    name: 'gateway_usage_written_records',
    help: 'Usage records written since start',
    registers,
    collect() {
      this.set(sources.usageQueue().written);
    },
  });
  new Gauge({
    name: 'gateway_usage_dropped_records',
    help: 'Usage records dropped since start because the queue was full',
    registers,
    collect() {
      this.set(sources.usageQueue().dropped);
    },
  });
  new Gauge({
    name: 'gateway_routes_cooling',
    help: 'Routes and upstream keys resting after failures',
    registers,
    // Route health is shared: every worker holds the same state, so a host's sum would count it N times.
    aggregator: 'max',
    collect() {
      this.set(sources.coolingRoutes());
    },
  });
  new Gauge({
    name: 'gateway_provider_balance_usd',
    help: 'Remaining balance of each provider at its last sync',
    labelNames: ['provider'] as const,
    aggregator: 'first', // read from the shared database: the same on every worker
    registers,
    async collect() {
      this.reset();
      for (const provider of await sources.balances()) {
        if (provider.balance_usd !== null) this.set({ provider: provider.name }, provider.balance_usd);
      }
    },
  });
}
