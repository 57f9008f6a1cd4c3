import type { FastifyBaseLogger } from 'fastify';
import type { CheckinService } from '../services/checkin.js';
import type { OptionsService } from '../services/options.js';
import type { RetentionService } from '../services/retention.js';
import type { SyncService } from '../services/sync/sync-service.js';

export interface SchedulerDeps {
  sync: SyncService;
  checkin: CheckinService;
  options: OptionsService;
  retention: Pick<RetentionService, 'run'>;
  now: () => number;
  logger: FastifyBaseLogger;
}

/** How often the scheduler wakes to see what is due. */
export const TICK_MS = 30_000;

/**
 * The background jobs: a sync of every enabled provider at start-up and every SyncIntervalMinutes,
 * and check-in once at start-up and daily from CheckinTime (a failed check-in is retried on later
 * ticks that day), and the usage-log retention once a day. A pass never overlaps the previous one.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private lastSyncAt = Number.NEGATIVE_INFINITY;
  private lastRetentionAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.stopped = false;
    this.runPass(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private runPass(startup: boolean): void {
    if (this.pass || this.stopped) return;
    this.pass = this.tick(startup)
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'scheduled jobs failed'))
      .finally(() => {
        this.pass = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.runPass(false), TICK_MS).unref();
      });
  }

  private async tick(startup: boolean): Promise<void> {
    const now = this.deps.now();
    const interval = this.deps.options.get('SyncIntervalMinutes') * 60;
    if (startup || now - this.lastSyncAt >= interval) {
      this.lastSyncAt = now;
      const reports = await this.deps.sync.syncAll(this.deps.options.get('SyncConcurrency'));
      if (reports.length > 0) {
        const failed = reports.filter((report) => !report.ok).length;
        this.deps.logger.info({ providers: reports.length, failed }, 'scheduled sync finished');
      }
    }
    if (startup || isPastTimeOfDay(this.deps.now(), this.deps.options.get('CheckinTime'))) {
      await this.deps.checkin.runDue();
    }
    if (this.deps.now() - this.lastRetentionAt >= 86_400) {
      this.lastRetentionAt = this.deps.now();
      const deleted = await this.deps.retention.run();
      if (deleted > 0) this.deps.logger.info({ deleted }, 'old usage records deleted');
    }
  }
}

/** Whether the local time of `unixSeconds` is at or after `HH:MM` on its day. */
export function isPastTimeOfDay(unixSeconds: number, time: string): boolean {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const date = new Date(unixSeconds * 1000);
  return date.getHours() * 60 + date.getMinutes() >= hours * 60 + minutes;
}
