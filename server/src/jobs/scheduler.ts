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
  /** Where the last run of each job is kept; shared, so a new leader knows what the old one did. */
  marks?: JobMarks;
  tickMs?: number;
}

export type JobName = 'sync' | 'retention';

/** The unix second each job last started, or -Infinity when it never ran. */
export interface JobMarks {
  lastRun(job: JobName): Promise<number>;
  setLastRun(job: JobName, at: number): Promise<void>;
}

/** Marks kept in this process only: enough for a single process and for the scheduler's own tests. */
export class MemoryJobMarks implements JobMarks {
  private readonly runs = new Map<JobName, number>();
  lastRun(job: JobName): Promise<number> {
    return Promise.resolve(this.runs.get(job) ?? Number.NEGATIVE_INFINITY);
  }
  setLastRun(job: JobName, at: number): Promise<void> {
    this.runs.set(job, at);
    return Promise.resolve();
  }
}

/** How often the scheduler wakes to see what is due. */
export const TICK_MS = 30_000;

/**
 * The background jobs: a sync of every enabled provider at start-up and every SyncIntervalMinutes,
 * and check-in once at start-up and daily from CheckinTime (a failed check-in is retried on later
 * ticks that day), and the usage-log retention once a day. A pass never overlaps the previous one.
 * Only the leader of a cluster runs it; the last runs are kept in `marks` so that a new leader
 * carries on the old one's timetable instead of starting over.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  private readonly marks: JobMarks;

  constructor(private readonly deps: SchedulerDeps) {
    this.marks = deps.marks ?? new MemoryJobMarks();
  }

  /** `startup` runs sync and check-in at once whatever the timetable says, as a fresh process should. */
  start(startup = true): void {
    this.stopped = false;
    this.runPass(startup);
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
        if (!this.stopped) this.timer = setTimeout(() => this.runPass(false), this.deps.tickMs ?? TICK_MS).unref();
      });
  }

  private async tick(startup: boolean): Promise<void> {
    const now = this.deps.now();
    const interval = this.deps.options.get('SyncIntervalMinutes') * 60;
    if (startup || now - (await this.marks.lastRun('sync')) >= interval) {
      await this.marks.setLastRun('sync', now);
      const reports = await this.deps.sync.syncAll(this.deps.options.get('SyncConcurrency'));
      if (reports.length > 0) {
        const failed = reports.filter((report) => !report.ok).length;
        this.deps.logger.info({ providers: reports.length, failed }, 'scheduled sync finished');
      }
    }
    if (startup || isPastTimeOfDay(this.deps.now(), this.deps.options.get('CheckinTime'))) {
      await this.deps.checkin.runDue();
    }
    if (this.deps.now() - (await this.marks.lastRun('retention')) >= 86_400) {
      await this.marks.setLastRun('retention', this.deps.now());
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
