import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { registerApi } from './api/index.js';
import { metricsSource } from './cluster/metrics.js';
import type { Config } from './config/config.js';
import { createContainer, type Container } from './container.js';
import { createDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { connectRedis } from './redis/connect.js';
import { VERSION } from './version.js';
import { registerOpsRoutes } from './ops/routes.js';
import { registerRelay } from './relay/plugin.js';
import { registerWeb } from './web/static.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  now?: () => number;
  webDist?: string;
  /** Sees the text of every SQL statement; tests use it to prove the relay runs no query. */
  onQuery?: (sql: string) => void;
}

export interface App {
  server: FastifyInstance;
  db: Kysely<Database>;
  redis: Redis | undefined;
  services: Container;
  /** Takes part in the jobs election (sync, check-in, retention); the process entry calls it once listening. */
  startJobs(): void;
  /** Stops the jobs and accepting, lets in-flight requests finish (bounded), closes the database and Redis. */
  close(): Promise<void>;
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds every part in order and puts HTTP in front of it. */
export async function buildApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const db = createDatabase(
    config.database,
    (error) => logger.warn({ err: error }, 'idle database connection lost'),
    options.onQuery,
  );
  let redis: Redis | undefined;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    redis = config.redisUrl
      ? await connectRedis(config.redisUrl, (error) => logger.warn({ err: error }, 'redis connection error'))
      : undefined;
    const services = await createContainer({ config, db, redis, logger, now });

    const server: FastifyInstance = Fastify({
      loggerInstance: logger,
      trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
      bodyLimit: BODY_LIMIT_BYTES,
      return503OnClosing: true,
    });
    await registerApi(server, { ...services, config, redis, version: VERSION, startedAt: now(), now });
    await registerRelay(server, {
      tokens: () => services.tokenIndex.current,
      routes: () => services.routeTable.current,
      retryTimes: () => services.options.get('RetryTimes'),
      sink: services.usageSink,
      dispatcher: services.relayAgent,
      config: config.relay,
      now,
      nowMs: Date.now,
      health: services.health,
      random: Math.random,
      logger,
      costOf: services.costOf,
      inFlight: {
        requests: (delta) => services.metrics.inFlight.inc(delta),
        streams: (delta) => services.metrics.inFlightStreams.inc(delta),
      },
    });
    registerOpsRoutes(server, {
      metrics: services.metrics,
      metricsText: metricsSource(services.metrics.registry),
      metricsConfig: config.metrics,
      ready: () => services.ready(),
    });
    await registerWeb(server, options.webDist);
    await server.ready();
    return {
      server,
      db,
      redis,
      services,
      startJobs: () => void services.leader.start(),
      close: () => closeApp({ server, db, redis, services, timeoutMs: config.shutdownTimeoutMs, logger }),
    };
  } catch (error) {
    redis?.disconnect();
    await db.destroy();
    throw error;
  }
}

async function closeApp(parts: {
  server: FastifyInstance;
  db: Kysely<Database>;
  redis: Redis | undefined;
  services: Container;
  timeoutMs: number;
  logger: FastifyBaseLogger;
}): Promise<void> {
  const { server, db, redis, services, timeoutMs, logger } = parts;
  // Fastify's close waits for in-flight requests; past the bound, remaining connections are cut.
  const timer = setTimeout(() => {
    logger.warn('shutdown timeout reached; closing the remaining connections');
    server.server.closeAllConnections();
  }, timeoutMs);
  try {
    // A sync in progress gets the same bound as requests; its upstream calls are cut below.
    await Promise.race([services.leader.stop(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    await server.close();
  } finally {
    clearTimeout(timer);
    await services.close();
    await db.destroy();
    if (redis) await redis.quit().catch(() => redis.disconnect());
  }
}
