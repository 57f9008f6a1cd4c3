import type { UsageRecord, UsageSink } from '../domain/usage-record.js';
import { sendToPrimary } from './ipc.js';

/**
 * A worker's usage sink when the database is SQLite: one process writing is what SQLite does
 * best, so workers hand their records to the cluster primary, which writes them in batches.
 * Records gathered during one turn of the event loop travel in one message.
 */
export class ForwardingUsageSink implements UsageSink {
  private batch: UsageRecord[] = [];
  private pending = false;
  private inFlight: Promise<void> = Promise.resolve();
  /** Records handed to the primary. */
  written = 0;
  readonly dropped = 0;

  get queued(): number {
    return this.batch.length;
  }

  record(row: UsageRecord): void {
    this.batch.push(row);
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => void this.send());
  }

  /** Sends what is gathered and waits until every message so far has left this process. */
  flush(): Promise<void> {
    return this.send();
  }

  close(): Promise<void> {
    return this.send();
  }

  private send(): Promise<void> {
    this.pending = false;
    const rows = this.batch;
    if (rows.length === 0) return this.inFlight;
    this.batch = [];
    this.inFlight = this.inFlight
      .then(() => sendToPrimary({ ga: 'usage', rows }))
      .then(() => {
        this.written += rows.length;
      });
    return this.inFlight;
  }
}
