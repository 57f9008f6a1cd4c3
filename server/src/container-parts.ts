import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { Agent } from 'undici';
import type { Config } from './config/config.js';
import type { Database } from './db/schema.js';
import { buildTokenIndex, type TokenIndex } from './domain/relay-tokens.js';
import { EMPTY_ROUTE_TABLE, buildRouteTable, type RouteTable } from './domain/route-table.js';
import type { Metrics } from './metrics/metrics.js';
import { AggTokensRepo } from './repos/agg-tokens.js';
import { ClusterStateRepo } from './repos/cluster-state.js';
import { ModelPricingsRepo } from './repos/model-pricings.js';
import { ModelRoutesRepo } from './repos/model-routes.js';
import { OptionsRepo } from './repos/options.js';
import { ProviderTokensRepo } from './repos/provider-tokens.js';
import { ProvidersRepo } from './repos/providers.js';
import { UsageLogsRepo } from './repos/usage-logs.js';
import { UsersRepo } from './repos/users.js';
import { CheckinService } from './services/checkin.js';
import { RedisSessionStore, SignedCookieSessionStore, type SessionStore } from './services/sessions.js';
import { SnapshotHolder } from './services/snapshot-holder.js';
import { RouteBuilder } from './services/sync/route-builder.js';
import { SyncService } from './services/sync/sync-service.js';
import { NewApiClient } from './upstream/newapi-client.js';
import type { ContainerInput } from './container.js';

// The parts container.ts assembles, each made here so that the assembly reads in one screen.

export const SESSION_SECRET_OPTION = '_SessionSecret';

export function createRepos(db: Kysely<Database>) {
  return {
    options: new OptionsRepo(db),
    users: new UsersRepo(db),
    providers: new ProvidersRepo(db),
    tokens: new ProviderTokensRepo(db),
    pricings: new ModelPricingsRepo(db),
    routes: new ModelRoutesRepo(db),
    aggTokens: new AggTokensRepo(db),
    usageLogs: new UsageLogsRepo(db),
    clusterState: new ClusterStateRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;

/** The relay's two snapshots, loaded now and rebuilt whenever what they mirror changes. */
export async function createSnapshots(repos: Repos, now: () => number, skipDepleted: () => boolean) {
  const routeTable = new SnapshotHolder<RouteTable>(EMPTY_ROUTE_TABLE, async () =>
    buildRouteTable(await repos.routes.routable(), await repos.pricings.listPrices(), now(), skipDepleted()),
  );
  const tokenIndex = new SnapshotHolder<TokenIndex>(new Map(), async () =>
    buildTokenIndex(await repos.aggTokens.listAllActiveWithUsers()),
  );
  await Promise.all([routeTable.rebuild(), tokenIndex.rebuild()]);
  return { routeTable, tokenIndex };
}

export async function createSessions(input: ContainerInput, repos: Repos): Promise<SessionStore> {
  // Without SESSION_SECRET, one secret is made once and kept in the database, so restarts and
  // every process on the same database accept the same sessions.
  const secret =
    input.config.sessionSecret ??
    (await repos.options.setIfAbsent(SESSION_SECRET_OPTION, randomBytes(32).toString('base64url'), input.now()));
  return input.redis
    ? new RedisSessionStore(input.redis, secret, input.config.redisKeyPrefix, input.logger, input.now)
    : new SignedCookieSessionStore(secret, input.now);
}

/**
 * What talks to the providers' management API (sync, check-in) and the agent the relay calls them through: two
 * connection pools, so a slow sync never takes a relayed call's connection.
 */
export function createUpstreamJobs(parts: {
  config: Config;
  repos: Repos;
  metrics: Metrics;
  onRoutesChanged: () => Promise<void>;
  now: () => number;
  logger: FastifyBaseLogger;
}) {
  const { config, repos, metrics, onRoutesChanged, now, logger } = parts;
  const managementAgent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const relayAgent = new Agent({ keepAliveTimeout: 60_000, connect: { timeout: config.relay.connectTimeoutMs } });
  const client = new NewApiClient(managementAgent, config.managementTimeoutMs);
  const routeBuilder = new RouteBuilder({ ...repos, now });
  const sync = new SyncService({
    ...repos,
    client,
    routeBuilder,
    onRoutesChanged,
    now,
    logger,
    onReport: (provider, report) =>
      metrics.syncRuns.inc({
        provider,
        result: report.ok
          ? 'ok'
          : `failed:${report.steps
              .filter((s) => !s.ok)
              .map((s) => s.step)
              .join('+')}`,
      }),
  });
  const checkin = new CheckinService({
    client,
    providers: repos.providers,
    now,
    logger,
    onResult: (provider, result) => metrics.checkinRuns.inc({ provider, status: result.status }),
  });
  return {
    sync,
    checkin,
    routeBuilder,
    relayAgent,
    /** destroy, not close: a call stuck on an upstream that never answers must not hold up shutdown. */
    close: () => Promise.all([managementAgent.destroy(), relayAgent.destroy()]),
  };
}
