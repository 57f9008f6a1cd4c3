import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { Agent } from 'undici';
import type { Config } from './config/config.js';
import type { Database } from './db/schema.js';
import { Scheduler } from './jobs/scheduler.js';
import { ModelPricingsRepo } from './repos/model-pricings.js';
import { ModelRoutesRepo } from './repos/model-routes.js';
import { OptionsRepo } from './repos/options.js';
import { ProviderTokensRepo } from './repos/provider-tokens.js';
import { ProvidersRepo } from './repos/providers.js';
import { UsersRepo } from './repos/users.js';
import { AuthService } from './services/auth.js';
import { CheckinService } from './services/checkin.js';
import { OptionsService } from './services/options.js';
import { ProvidersService } from './services/providers.js';
import { RouteTableHolder } from './services/route-table.js';
import { RoutesService } from './services/routes.js';
import { RedisSessionStore, SignedCookieSessionStore } from './services/sessions.js';
import { RouteBuilder } from './services/sync/route-builder.js';
import { SyncService } from './services/sync/sync-service.js';
import { UsersService } from './services/users.js';
import { NewApiClient } from './upstream/newapi-client.js';

const SESSION_SECRET_OPTION = '_SessionSecret';

export interface ContainerInput {
  config: Config;
  db: Kysely<Database>;
  redis: Redis | undefined;
  logger: FastifyBaseLogger;
  now: () => number;
}

/** Every service, built once and wired together; app.ts puts HTTP in front of them. */
export async function createContainer({ config, db, redis, logger, now }: ContainerInput) {
  const repos = {
    options: new OptionsRepo(db),
    users: new UsersRepo(db),
    providers: new ProvidersRepo(db),
    tokens: new ProviderTokensRepo(db),
    pricings: new ModelPricingsRepo(db),
    routes: new ModelRoutesRepo(db),
  };
  const options = new OptionsService(repos.options, (message) => logger.warn(message));
  await options.load();
  const users = new UsersService(repos.users, now);
  await users.ensureRoot();
  if (await users.rootHasDefaultPassword()) {
    logger.warn('the root account still has the default password 123456; log in and change it');
  }
  // Without SESSION_SECRET, one secret is made once and kept in the database, so restarts and
  // every process on the same database accept the same sessions.
  const sessionSecret =
    config.sessionSecret ??
    (await repos.options.setIfAbsent(SESSION_SECRET_OPTION, randomBytes(32).toString('base64url'), now()));
  const sessions = redis
    ? new RedisSessionStore(redis, sessionSecret, config.redisKeyPrefix)
    : new SignedCookieSessionStore(sessionSecret, now);

  const upstreamAgent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const client = new NewApiClient(upstreamAgent, config.managementTimeoutMs);
  const routeTable = new RouteTableHolder(repos.routes, now);
  await routeTable.rebuild();
  const onRoutesChanged = () => routeTable.rebuild();
  const routeBuilder = new RouteBuilder({ ...repos, now });
  const sync = new SyncService({ ...repos, client, routeBuilder, onRoutesChanged, now, logger });
  const checkin = new CheckinService({ client, providers: repos.providers, now, logger });

  return {
    options,
    users,
    auth: new AuthService(users, sessions),
    providers: new ProvidersService({ ...repos, routeBuilder, onRoutesChanged, now }),
    routes: new RoutesService({ routes: repos.routes, routeBuilder, onRoutesChanged, now }),
    sync,
    checkin,
    routeTable,
    scheduler: new Scheduler({ sync, checkin, options, now, logger }),
    // destroy, not close: a sync stuck on an upstream that never answers must not hold up shutdown.
    close: () => upstreamAgent.destroy(),
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
