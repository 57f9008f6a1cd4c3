import type { UsageLogsRepo } from '../repos/usage-logs.js';

export interface RetentionOptions {
  batchSize: number;
  /** Pause between batches, so writers (the usage writer, SQLite's single writer) get their turn. */
  pauseMs: number;
}

/**
 * Deletes usage rows older than LogRetentionDays, a small batch at a time, so no statement holds
 * the table long enough for the relay's writes to wait on it.
 */
export class RetentionService {
  constructor(
    private readonly logs: UsageLogsRepo,
    private readonly days: () => number,
    private readonly now: () => number,
    private readonly options: RetentionOptions = { batchSize: 1000, pauseMs: 20 },
  ) {}

  /** Returns how many rows were deleted; 0 days keeps everything. */
  async run(): Promise<number> {
    const days = this.days();
    if (days <= 0) return 0;
    const cutoff = this.now() - days * 86_400;
    let deleted = 0;
    for (;;) {
      const ids = await this.logs.idsOlderThan(cutoff, this.options.batchSize);
      if (ids.length === 0) return deleted;
      await this.logs.deleteIds(ids);
      deleted += ids.length;
      if (ids.length < this.options.batchSize) return deleted;
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }
}
