import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { appError } from '../errors/catalogue.js';
import { redisOrLocalStore } from './rate-limit-store.js';

export interface SharedCounter {
  client: Redis;
  keyPrefix: string;
}

/**
 * Per-IP limits on /api. In Redis when configured, so every process counts the same requests;
 * otherwise, or while Redis is unreachable, in this process's memory. Routes override with
 * `config.rateLimit` (login is stricter).
 */
export async function registerRateLimit(
  app: FastifyInstance,
  perMinute: number,
  shared: SharedCounter | undefined,
): Promise<void> {
  await app.register(rateLimit, {
    global: perMinute > 0,
    max: Math.max(perMinute, 1),
    timeWindow: 60_000,
    ...(shared ? { store: redisOrLocalStore(shared.client, `${shared.keyPrefix}ratelimit:`, app.log) } : {}),
    // The store falls back to local counting itself; should even that fail, the API stays up.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      Object.assign(appError('RATE_LIMITED', `too many requests; try again in ${context.after}`), {
        statusCode: 429,
      }),
  });
}
