import cluster from 'node:cluster';
import { AggregatorRegistry, Gauge, type Registry } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';
import { withTimeout } from '../lib/timeout.js';
import { isIpcMessage, sendToPrimary } from './ipc.js';

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

const ASK_TIMEOUT_MS = 6000;
let nextRequest = 0;

/**
 * The text /metrics answers. A worker's own counters are a fraction of the host's, and which
 * worker takes a scrape is chance: so a worker asks the primary, which gathers every worker's
 * registry (prom-client's aggregator) and sums them. Alone, a process answers for itself.
 */
export function metricsSource(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  new AggregatorRegistry(); // installs the worker's answer to the primary's requests
  AggregatorRegistry.setRegistries([registry]);
  return () => withTimeout(askPrimary(), ASK_TIMEOUT_MS).catch(() => registry.metrics());
}

function askPrimary(): Promise<string> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isIpcMessage(message) || message.ga !== 'metrics-text' || message.id !== id) return;
      process.off('message', onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? 'no metrics'));
    };
    process.on('message', onMessage);
    void sendToPrimary({ ga: 'metrics', id });
    setTimeout(() => process.off('message', onMessage), ASK_TIMEOUT_MS).unref();
  });
}
