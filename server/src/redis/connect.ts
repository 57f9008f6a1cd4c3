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

/** Connects at start-up and fails fast with a message that names the address but not the password. */
export async function connectRedis(url: string, onError: (error: Error) => void, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 2 });
  // ioredis reconnects by itself; without a listener each failed attempt is an "unhandled error".
  redis.on('error', onError);
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
