import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { redisHealth, type HealthLogger, type RedisHealth } from '../redis/health.js';

type Counted = { current: number; ttl: number };
type ChildOptions = Parameters<FastifyRateLimitStore['child']>[0];

// The plugin's own two stores (not exported by name): counting in Redis, and in this process.
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean | undefined,
  exponentialBackoff: boolean | undefined,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean | undefined,
  exponentialBackoff: boolean | undefined,
  cache?: number,
) => FastifyRateLimitStore;

/** Counts in Redis while it answers, and in this process while it does not. */
class RedisOrLocalStore implements FastifyRateLimitStore {
  constructor(
    private readonly health: RedisHealth,
    private readonly shared: FastifyRateLimitStore,
    private readonly local: FastifyRateLimitStore,
  ) {}

  incr(key: string, callback: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number): void {
    const count = (store: FastifyRateLimitStore) =>
      new Promise<Counted>((resolve, reject) =>
        store.incr(
          key,
          (error, result) => (error || !result ? reject(error ?? new Error('no count')) : resolve(result)),
          timeWindow,
          max,
        ),
      );
    this.health
      .attempt(
        () => count(this.shared),
        () => count(this.local),
      )
      .then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
  }

  child(routeOptions: ChildOptions): FastifyRateLimitStore {
    return new RedisOrLocalStore(this.health, this.shared.child(routeOptions), this.local.child(routeOptions));
  }
}

/** The `store` option of @fastify/rate-limit: counters under `nameSpace` in Redis, or local ones. */
export function redisOrLocalStore(redis: Redis, nameSpace: string, logger: HealthLogger): FastifyRateLimitStoreCtor {
  const health = redisHealth(redis, logger);
  return class extends RedisOrLocalStore {
    constructor(options: RateLimitPluginOptions) {
      super(
        health,
        new RedisStore(options.continueExceeding, options.exponentialBackoff, redis, nameSpace),
        new LocalStore(options.continueExceeding, options.exponentialBackoff, options.cache),
      );
    }
  };
}
