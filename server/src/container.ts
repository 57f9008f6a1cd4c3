import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Config } from './config/config.js';
import type { Database } from './db/schema.js';
import { RouteHealth } from './domain/route-health.js';
import { processIdentity } from './cluster/bus.js';
import {
  SESSION_SECRET_OPTION,
  createRepos,
  createSessions,
  createSnapshots,
  createUpstreamJobs,
} from './container-parts.js';
import { DatabaseJobMarks } from './cluster/job-marks.js';
import { registerLeaderGauge } from './cluster/metrics.js';
import { openClusterBus } from './cluster/open-bus.js';
import { shareRouteHealth } from './cluster/shared-health.js';
import { createChangeFeed, createLeader, createUsageWriter, type ClusterParts } from './cluster/wiring.js';
import { Scheduler } from './jobs/scheduler.js';
import { registerCollectors } from './metrics/collectors.js';
import { createMetrics } from './metrics/metrics.js';
import { ObservingSink } from './metrics/observing-sink.js';
import { DashboardQueries } from './repos/dashboard-queries.js';
import { UsageLogQueriesRepo } from './repos/usage-log-queries.js';
import { AggTokensService } from './services/agg-tokens.js';
import { AuthService } from './services/auth.js';
import { DashboardService } from './services/dashboard.js';
import { LogsService } from './services/logs.js';
import { OptionsService } from './services/options.js';
import { ProvidersService } from './services/providers.js';
import { RetentionService } from './services/retention.js';
import { RoutesService } from './services/routes.js';
import { UsersService } from './services/users.js';
import { TokenAccessClock } from './services/token-access.js';

export interface ContainerInput {
  config: Config;
  db: Kysely<Database>;
  redis: Redis | undefined;
  logger: FastifyBaseLogger;
  now: () => number;
}

/** Every service, built once and wired together; app.ts puts HTTP in front of them. */
export async function createContainer(input: ContainerInput) {
  const { config, db, logger, now } = input;
  const repos = createRepos(db);
  // The route table reads an option and must follow its changes: the hook is set once both exist.
  let onOptionChanged: (key: string) => Promise<void> = () => Promise.resolve();
  const options = new OptionsService(
    repos.options,
    (message) => logger.warn(message),
    (key) => onOptionChanged(key),
  );
  await options.load();
  const { routeTable, tokenIndex } = await createSnapshots(repos, now, () => options.get('SkipDepletedProviders'));
  const peers: ClusterParts = {
    config,
    logger,
    redis: input.redis,
    clusterState: repos.clusterState,
    bus: await openClusterBus(input.redis, config.redisKeyPrefix, logger),
    origin: processIdentity(),
  };
  const changes = createChangeFeed(peers, { routeTable, tokenIndex, options });
  onOptionChanged = async (key) => {
    if (key === 'SkipDepletedProviders') await routeTable.rebuild();
    await changes.tellPeers('options');
  };
  const onTokensChanged = () => changes.announce('tokens');
  const onRoutesChanged = () => changes.announce('routes');
  const users = new UsersService(repos.users, now, onTokensChanged);
  await users.ensureRoot();
  if (await users.rootHasDefaultPassword()) {
    logger.warn('the root account still has the default password 123456; log in and change it');
  }

  const metrics = createMetrics();
  const upstream = createUpstreamJobs({ config, repos, metrics, onRoutesChanged, now, logger });
  const { sync, checkin, routeBuilder, relayAgent } = upstream;
  const usageWriter = createUsageWriter(config, repos.usageLogs, logger, new TokenAccessClock(repos.aggTokens, logger));
  const health = new RouteHealth(() => ({
    baseMs: options.get('CooldownBaseSeconds') * 1000,
    multiplier: options.get('CooldownMultiplier'),
    capMs: options.get('CooldownMaxSeconds') * 1000,
    modelMissingMs: options.get('ModelMissingCooldownSeconds') * 1000,
  }));
  shareRouteHealth(health, peers.bus, peers.origin);
  registerCollectors(metrics, {
    coolingRoutes: () => health.coolingCount(Date.now()),
    usageQueue: () => ({ queued: usageWriter.queued, written: usageWriter.written, dropped: usageWriter.dropped }),
    balances: () => repos.providers.listAll(),
  });
  const retention = new RetentionService(repos.usageLogs, () => options.get('LogRetentionDays'), now);
  const scheduler = new Scheduler({
    sync,
    checkin,
    retention,
    options,
    now,
    logger,
    marks: new DatabaseJobMarks(repos.clusterState),
    tickMs: config.cluster.schedulerTickMs,
  });
  const leader = createLeader(peers, scheduler);
  registerLeaderGauge(metrics, () => leader.isLeader);
  await changes.start();

  return {
    options,
    users,
    auth: new AuthService(users, await createSessions(input, repos)),
    aggTokens: new AggTokensService({ tokens: repos.aggTokens, onChanged: onTokensChanged, now }),
    providers: new ProvidersService({ ...repos, routeBuilder, onRoutesChanged, now }),
    routes: new RoutesService({ routes: repos.routes, routeBuilder, onRoutesChanged, now, health }),
    logs: new LogsService({ logs: new UsageLogQueriesRepo(db), providers: repos.providers }),
    dashboard: new DashboardService({ queries: new DashboardQueries(db), now }),
    sync,
    checkin,
    routeTable,
    tokenIndex,
    usageWriter,
    /** What the relay records into: metrics first, then the batched writer. */
    usageSink: new ObservingSink(usageWriter, metrics, (model) => routeTable.current.byModel.has(model)),
    metrics,
    retention,
    health,
    changes,
    /** Whether the database answers and both relay snapshots have loaded. */
    async ready(): Promise<boolean> {
      if (!routeTable.loaded || !tokenIndex.loaded) return false;
      // Any cheap query proves the database answers.
      return repos.options.get(SESSION_SECRET_OPTION).then(
        () => true,
        () => false,
      );
    },
    relayAgent,
    costOf: (tokenId: number, from?: number, to?: number) => repos.aggTokens.sumCost(tokenId, from, to),
    scheduler,
    /** Runs the scheduled jobs here whenever this process holds the jobs lease. */
    leader,
    async close() {
      changes.stop();
      await peers.bus.close();
      await upstream.close();
      await usageWriter.close();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
