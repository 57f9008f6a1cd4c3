import type { UsageRecord, UsageSink } from '../domain/usage-record.js';
import type { Metrics } from './metrics.js';

/**
 * Counts every usage record on its way to the writer: the relay reports once, to one place, and
 * metrics and the call log can never disagree about what happened.
 */
export class ObservingSink implements UsageSink {
  constructor(
    private readonly next: UsageSink,
    private readonly metrics: Metrics,
    private readonly knownModel: (model: string) => boolean,
  ) {}

  record(row: UsageRecord): void {
    const provider = row.provider_name || 'none';
    if (row.provider_id !== 0) {
      this.metrics.attempts.inc({ provider, outcome: row.status === 1 ? 'success' : row.error_type || 'error' });
    }
    if (row.final === 1) {
      const model = this.knownModel(row.model_name) ? row.model_name : 'other';
      this.metrics.requests.inc({ endpoint: row.endpoint, model, provider, status: String(row.http_status || 0) });
      if (row.attempt > 1) this.metrics.failovers.inc();
      if (row.status === 1) {
        this.metrics.latency.observe({ endpoint: row.endpoint }, row.latency_ms / 1000);
        this.metrics.firstByte.observe({ endpoint: row.endpoint }, row.first_byte_ms / 1000);
      }
    }
    this.next.record(row);
  }
}
