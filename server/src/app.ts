import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { registerApi } from './api/index.js';
import type { Config } from './config/config.js';
import { createDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { connectRedis } from './redis/connect.js';
import { OptionsRepo } from './repos/options.js';
import { UsersRepo } from './repos/users.js';
import { AuthService } from './services/auth.js';
import { OptionsService } from './services/options.js';
import { RedisSessionStore, SignedCookieSessionStore } from './services/sessions.js';
import { UsersService } from './services/users.js';
import { VERSION } from './version.js';
import { registerWeb } from './web/static.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  now?: () => number;
  webDist?: string;
}

export interface App {
  server: FastifyInstance;
  db: Kysely<Database>;
  redis: Redis | undefined;
  /** Stops accepting, lets in-flight requests finish (bounded by the config), closes the database and Redis. */
  close(): Promise<void>;
}

const SESSION_SECRET_OPTION = '_SessionSecret';
const BODY_LIMIT_BYTES = 1024 * 1024;

/** The composition root: builds every part in order and wires them together. */
export async function buildApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const db = createDatabase(config.database);
  let redis: Redis | undefined;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    redis = config.redisUrl
      ? await connectRedis(config.redisUrl, (error) => logger.warn({ err: error }, 'redis connection error'))
      : undefined;

    const optionsRepo = new OptionsRepo(db);
    const optionsService = new OptionsService(optionsRepo, (message) => logger.warn(message));
    await optionsService.load();
    const users = new UsersService(new UsersRepo(db), now);
    await users.ensureRoot();
    if (await users.rootHasDefaultPassword()) {
      logger.warn('the root account still has the default password 123456; log in and change it');
    }
    // Without SESSION_SECRET, one secret is made once and kept in the database, so restarts and
    // every process on the same database accept the same sessions.
    const sessionSecret =
      config.sessionSecret ??
      (await optionsRepo.setIfAbsent(SESSION_SECRET_OPTION, randomBytes(32).toString('base64url'), now()));
    const sessions = redis
      ? new RedisSessionStore(redis, sessionSecret, config.redisKeyPrefix)
      : new SignedCookieSessionStore(sessionSecret, now);
    const auth = new AuthService(users, sessions);

    const server: FastifyInstance = Fastify({
      loggerInstance: logger,
      trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
      bodyLimit: BODY_LIMIT_BYTES,
      return503OnClosing: true,
    });
    await registerApi(server, {
      config,
      auth,
      users,
      options: optionsService,
      redis,
      version: VERSION,
      startedAt: now(),
      now,
    });
    await registerWeb(server, options.webDist);
    await server.ready();
    return { server, db, redis, close: () => closeApp(server, db, redis, config.shutdownTimeoutMs, logger) };
  } catch (error) {
    redis?.disconnect();
    await db.destroy();
    throw error;
  }
}

async function closeApp(
  server: FastifyInstance,
  db: Kysely<Database>,
  redis: Redis | undefined,
  timeoutMs: number,
  logger: FastifyBaseLogger,
): Promise<void> {
  // Fastify's close waits for in-flight requests; past the bound, remaining connections are cut.
  const timer = setTimeout(() => {
    logger.warn('shutdown timeout reached; closing the remaining connections');
    server.server.closeAllConnections();
  }, timeoutMs);
  try {
    await server.close();
  } finally {
    clearTimeout(timer);
    await db.destroy();
    if (redis) await redis.quit().catch(() => redis.disconnect());
  }
}
