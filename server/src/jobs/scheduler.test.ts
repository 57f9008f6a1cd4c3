import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { Scheduler, TICK_MS, isPastTimeOfDay, type SchedulerDeps } from './scheduler.js';

/** The jobs' timing, with a fake clock; what a sync or check-in does is tested against real databases elsewhere. */
describe('Scheduler', () => {
  let syncAll: Mock<(concurrency: number) => Promise<unknown[]>>;
  let runDue: Mock<() => Promise<number>>;
  let retentionRun: Mock<() => Promise<number>>;
  let options: Record<string, unknown>;
  let scheduler: Scheduler;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 10, 29, 0, 1, 0)); // local 00:01, before the default 00:05
    syncAll = vi.fn((_concurrency: number) => Promise.resolve<unknown[]>([{ ok: true }]));
    runDue = vi.fn(() => Promise.resolve(0));
    retentionRun = vi.fn(() => Promise.resolve(0));
    options = { SyncIntervalMinutes: 5, SyncConcurrency: 3, CheckinTime: '00:05' };
    const deps = {
      sync: { syncAll },
      checkin: { runDue },
      retention: { run: retentionRun },
      options: { get: (key: string) => options[key] },
      now: () => Math.floor(Date.now() / 1000),
      logger: { info: vi.fn(), error: vi.fn(), warn: vi.fn() } as unknown as FastifyBaseLogger,
    } as unknown as SchedulerDeps;
    scheduler = new Scheduler(deps);
  });
  afterEach(async () => {
    await scheduler.stop();
    vi.useRealTimers();
  });

  it('syncs and checks in at start-up, then syncs every interval with the configured concurrency', async () => {
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(syncAll).toHaveBeenCalledTimes(1);
    expect(syncAll).toHaveBeenCalledWith(3);
    expect(runDue).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(syncAll).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000 + TICK_MS);
    expect(syncAll).toHaveBeenCalledTimes(2);
  });

  it('checks in again only from CheckinTime on', async () => {
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runDue).toHaveBeenCalledTimes(1); // start-up
    await vi.advanceTimersByTimeAsync(3 * 60_000); // 00:04
    expect(runDue).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000 + TICK_MS); // past 00:05
    expect(runDue.mock.calls.length).toBeGreaterThan(1);
  });

  it('follows a changed interval and never overlaps a slow pass', async () => {
    let finish: () => void = () => undefined;
    syncAll.mockImplementationOnce(
      () =>
        new Promise<unknown[]>((resolve) => {
          finish = () => resolve([]);
        }),
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(syncAll).toHaveBeenCalledTimes(1); // still running
    finish();
    options.SyncIntervalMinutes = 1;
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(syncAll).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(syncAll).toHaveBeenCalledTimes(3);
  });

  it('keeps going after a failed pass, and stops when told', async () => {
    syncAll.mockRejectedValueOnce(new Error('database down'));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(5 * 60_000 + TICK_MS);
    expect(syncAll).toHaveBeenCalledTimes(2);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(syncAll).toHaveBeenCalledTimes(2);
  });
});

describe('retention', () => {
  it('runs at start-up and then once a day', async () => {
    vi.useFakeTimers();
    const run = vi.fn(() => Promise.resolve(0));
    const options: Record<string, unknown> = { SyncIntervalMinutes: 5, SyncConcurrency: 1, CheckinTime: '00:05' };
    const scheduler = new Scheduler({
      sync: { syncAll: () => Promise.resolve([]) },
      checkin: { runDue: () => Promise.resolve(0) },
      retention: { run },
      options: { get: (key: string) => options[key] },
      now: () => Math.floor(Date.now() / 1000),
      logger: { info: vi.fn(), error: vi.fn(), warn: vi.fn() } as unknown as FastifyBaseLogger,
    } as unknown as SchedulerDeps);
    try {
      scheduler.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(run).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(23 * 3600_000);
      expect(run).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(3600_000 + TICK_MS);
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      await scheduler.stop();
      vi.useRealTimers();
    }
  });
});

describe('isPastTimeOfDay', () => {
  it('compares the local time of day', () => {
    const at = (h: number, m: number) => Math.floor(new Date(2026, 0, 1, h, m).getTime() / 1000);
    expect(isPastTimeOfDay(at(0, 4), '00:05')).toBe(false);
    expect(isPastTimeOfDay(at(0, 5), '00:05')).toBe(true);
    expect(isPastTimeOfDay(at(23, 59), '00:05')).toBe(true);
    expect(isPastTimeOfDay(at(12, 0), '13:30')).toBe(false);
  });
});
