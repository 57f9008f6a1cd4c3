import type { FastifyBaseLogger } from 'fastify';
import type { LeaseStore } from './leases.js';
import { withTimeout } from '../lib/timeout.js';

export interface LeaderDeps {
  store: LeaseStore;
  /** The lease's name: one leader per name. */
  name: string;
  holder: string;
  ttlMs: number;
  /** Called when this process becomes the leader; `atStart` when it won the lease on its very first try. */
  onElected: (atStart: boolean) => void;
  /** Called when it stops being the leader; resolves once its jobs have stopped. */
  onDeposed: () => Promise<void>;
  logger: FastifyBaseLogger;
  nowMs?: () => number;
}

/**
 * Keeps trying to hold one lease, renewing it three times per TTL. The leader that cannot renew
 * (its store is unreachable) steps down before its lease can have run out, so two leaders never
 * overlap by more than a clock's skew; a leader that dies is replaced within one TTL.
 */
export class LeaderElection {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private attempts = 0;
  private renewedAt = 0;
  private attempt: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: LeaderDeps) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): Promise<void> {
    this.stopped = false;
    return this.tryOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt?.catch(() => undefined);
    if (this.leading) await this.stepDown();
    // Released even when not leading: an attempt cut short by stop() may have just taken it.
    await this.deps.store.release(this.deps.name, this.deps.holder).catch((error: unknown) => {
      this.deps.logger.warn(
        { err: error },
        'cannot release the jobs lease; another process takes over when it expires',
      );
    });
  }

  private tryOnce(): Promise<void> {
    this.attempt = this.renewOrAcquire().finally(() => {
      this.attempt = undefined;
      if (!this.stopped) this.timer = setTimeout(() => void this.tryOnce(), this.deps.ttlMs / 3).unref();
    });
    return this.attempt;
  }

  private async renewOrAcquire(): Promise<void> {
    const now = this.now();
    this.attempts++;
    let held: boolean;
    try {
      // A store that hangs is as good as down: past a third of the TTL, the answer would come too late.
      held = await withTimeout(
        this.deps.store.acquire(this.deps.name, this.deps.holder, this.deps.ttlMs),
        this.deps.ttlMs / 3,
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, `cannot reach the ${this.deps.store.kind} for the jobs lease`);
      // Step down while the lease taken at renewedAt surely still holds, before a peer can take it.
      if (this.leading && this.now() - this.renewedAt > this.deps.ttlMs / 2) await this.stepDown();
      return;
    }
    if (this.stopped) return;
    if (held) {
      this.renewedAt = now;
      if (!this.leading) this.elect();
    } else if (this.leading) {
      await this.stepDown();
    }
  }

  private elect(): void {
    this.leading = true;
    this.deps.logger.info(`this process now runs the scheduled jobs (lease in the ${this.deps.store.kind})`);
    this.deps.onElected(this.attempts === 1);
  }

  private async stepDown(): Promise<void> {
    this.leading = false;
    this.deps.logger.info('this process no longer runs the scheduled jobs');
    await this.deps.onDeposed();
  }

  private now(): number {
    return (this.deps.nowMs ?? Date.now)();
  }
}
