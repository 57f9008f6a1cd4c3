import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: from a cached reply to a long generation. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The gateway's Prometheus metrics. Labels stay bounded: a model label is used only for models
 * the route table knows, so clients cannot grow the series with invented names.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_process_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'gateway_relay_requests_total',
      help: 'Client requests, by endpoint, model, provider that answered, and HTTP status',
      labelNames: ['endpoint', 'model', 'provider', 'status'] as const,
      registers,
    }),
    attempts: new Counter({
      name: 'gateway_relay_attempts_total',
      help: 'Upstream attempts, by provider and outcome (success or the error type)',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    failovers: new Counter({
      name: 'gateway_relay_failovers_total',
      help: 'Client requests that needed more than one attempt',
      registers,
    }),
    latency: new Histogram({
      name: 'gateway_relay_latency_seconds',
      help: 'Time from a request’s arrival to the end of its answer',
      labelNames: ['endpoint'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    firstByte: new Histogram({
      name: 'gateway_relay_first_byte_seconds',
      help: 'Time from a request’s arrival to the first byte of its answer',
      labelNames: ['endpoint'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({ name: 'gateway_relay_in_flight_requests', help: 'Relay requests being served', registers }),
    inFlightStreams: new Gauge({
      name: 'gateway_relay_in_flight_streams',
      help: 'SSE answers being streamed',
      registers,
    }),
    syncRuns: new Counter({
      name: 'gateway_sync_runs_total',
      help: 'Provider syncs, by provider and result (ok, or failed with the failing steps)',
      labelNames: ['provider', 'result'] as const,
      registers,
    }),
    checkinRuns: new Counter({
      name: 'gateway_checkin_runs_total',
      help: 'Provider check-ins, by provider and status',
      labelNames: ['provider', 'status'] as const,
      registers,
    }),
    registers,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
