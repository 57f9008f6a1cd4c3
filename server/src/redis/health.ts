import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/timeout.js';

export type HealthLogger = Pick<FastifyBaseLogger, 'warn' | 'info'>;

/** How long a Redis command may take before the request goes on without it. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/** After a command failed on a connection that still looks up, how long before Redis is tried again. */
export const REDIS_RETRY_AFTER_MS = 1000;

/**
 * Whether Redis can be used right now, for what can fall back to this process (sessions, rate
 * limits). A command is not even sent while the client is reconnecting (ioredis would queue it), a
 * slow one is given up after REDIS_COMMAND_TIMEOUT_MS, and each outage is logged once, going and coming back.
 */
export class RedisHealth {
  private degraded = false;
  private retryAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly log: HealthLogger,
    private readonly timeoutMs = REDIS_COMMAND_TIMEOUT_MS,
  ) {
    redis.on('ready', () => {
      this.retryAt = 0; // reconnected: the next command tries Redis
    });
  }

  /** `command` against Redis; `fallback` when Redis is not connected, fails or is too slow. */
  async attempt<T>(command: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') {
      this.degrade(`connection ${this.redis.status}`);
      return fallback();
    }
    if (Date.now() < this.retryAt) return fallback();
    try {
      const value = await withTimeout(command(this.redis), this.timeoutMs);
      if (this.degraded) {
        this.degraded = false;
        this.log.info('Redis is back: sessions and rate limits use it again');
      }
      return value;
    } catch (error) {
      this.retryAt = Date.now() + REDIS_RETRY_AFTER_MS;
      this.degrade((error as Error).message);
      return fallback();
    }
  }

  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.log.warn({ reason }, 'Redis unreachable: sessions and rate limits fall back to this process until it is back');
  }
}

const shared = new WeakMap<Redis, RedisHealth>();

/** One tracker per client, so sessions and rate limits degrade, log and recover together. */
export function redisHealth(redis: Redis, log: HealthLogger): RedisHealth {
  let health = shared.get(redis);
  if (!health) {
    health = new RedisHealth(redis, log);
    shared.set(redis, health);
  }
  return health;
}
