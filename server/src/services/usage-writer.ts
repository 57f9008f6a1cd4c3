import type { FastifyBaseLogger } from 'fastify';
import type { UsageRecord, UsageSink } from '../domain/usage-record.js';
import type { UsageLogsRepo } from '../repos/usage-logs.js';

export interface UsageWriterOptions {
  /** Rows per write; a full batch is written at once rather than at the next tick. */
  batchSize: number;
  intervalMs: number;
  /** Rows held while the database cannot take them; beyond this the oldest are dropped and counted. */
  maxQueue: number;
}

const DEFAULTS: UsageWriterOptions = { batchSize: 500, intervalMs: 1000, maxQueue: 100_000 };

/**
 * The relay's usage sink: records queue in memory and are written in batches off the request
 * path. A failed write keeps its rows for the next attempt; shutdown writes what is left.
 */
export class UsageWriter implements UsageSink {
  private queue: UsageRecord[] = [];
  private writing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly options: UsageWriterOptions;
  written = 0;
  dropped = 0;

  constructor(
    private readonly repo: UsageLogsRepo,
    private readonly logger: FastifyBaseLogger,
    options: Partial<UsageWriterOptions> = {},
    /** Told of every batch once it is stored (it must not throw). */
    private readonly onStored?: (rows: readonly UsageRecord[]) => Promise<void>,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs).unref();
  }

  get queued(): number {
    return this.queue.length;
  }

  record(row: UsageRecord): void {
    this.queue.push(row);
    if (this.queue.length > this.options.maxQueue) {
      const excess = this.queue.length - this.options.maxQueue;
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
    if (this.queue.length >= this.options.batchSize && !this.writing) void this.flush();
  }

  /** Writes everything queued so far; resolves when it is written or the write failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.queue.length);
    this.writing = this.repo
      .insertMany(batch)
      .then(() => {
        this.written += batch.length;
        return this.onStored?.(batch);
      })
      .catch((error: unknown) => {
        this.queue.unshift(...batch);
        this.logger.error({ err: error, rows: batch.length }, 'writing usage records failed; will retry');
      })
      .finally(() => (this.writing = undefined));
    await this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) this.logger.error({ rows: this.queue.length }, 'usage records lost at shutdown');
    await this.repo.close();
  }
}
