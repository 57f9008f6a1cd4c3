import { Redis } from 'ioredis';

/** A URL for messages: the host and port, never the password. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

/**
 * Connects at start-up and fails fast with a message that names the address but not the password.
 * Later outages are survived: see redis/health.ts for what falls back to the process meanwhile.
 */
export async function connectRedis(url: string, onError: (error: Error) => void, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 2 });
  // ioredis reconnects by itself; without a listener each failed attempt is an "unhandled error".
  // An outage repeats the same error on every attempt: pass each one on once, until Redis is back.
  let reported: string | undefined;
  redis.on('error', (error: Error) => {
    if (error.message === reported) return;
    reported = error.message;
    onError(error);
  });
  redis.on('ready', () => {
    reported = undefined;
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `cannot connect to Redis at ${describeRedisUrl(url)} (REDIS_CONN_STRING): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
