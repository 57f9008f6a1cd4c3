import type { Redis } from 'ioredis';
import type { ClusterStateRepo } from '../repos/cluster-state.js';

/** A named lock with a time limit: whoever holds it must renew it before it runs out. */
export interface LeaseStore {
  /** Takes the lease or renews it for `holder`; false when someone else holds it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
  readonly kind: 'redis' | 'database';
}

// Renew and release only a lease that is still ours: after a pause longer than the TTL, another
// process may hold it, and a plain EXPIRE or DEL would take it from them.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export class RedisLeaseStore implements LeaseStore {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = `${this.keyPrefix}lease:${name}`;
    if ((await this.redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK') return true;
    return (await this.redis.eval(RENEW, 1, key, holder, ttlMs)) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.keyPrefix}lease:${name}`, holder);
  }
}

/** Without Redis, the shared database holds the lease (a conditional UPDATE on one row). */
export class DatabaseLeaseStore implements LeaseStore {
  readonly kind = 'database';

  constructor(
    private readonly repo: ClusterStateRepo,
    private readonly nowMs: () => number = Date.now,
  ) {}

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.repo.tryLease(name, holder, this.nowMs(), ttlMs);
  }

  release(name: string, holder: string): Promise<void> {
    return this.repo.releaseLease(name, holder);
  }
}
