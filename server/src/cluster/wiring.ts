import cluster from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { TokenIndex } from '../domain/relay-tokens.js';
import type { RouteTable } from '../domain/route-table.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { ClusterStateRepo } from '../repos/cluster-state.js';
import type { UsageLogsRepo } from '../repos/usage-logs.js';
import type { OptionsService } from '../services/options.js';
import type { SnapshotHolder } from '../services/snapshot-holder.js';
import type { TokenAccessClock } from '../services/token-access.js';
import { UsageWriter } from '../services/usage-writer.js';
import type { ClusterBus } from './bus.js';
import { ChangeFeed } from './change-feed.js';
import { ForwardingUsageSink } from './forwarding-sink.js';
import { LeaderElection } from './leader.js';
import { chooseLeaseStore } from './open-bus.js';

/** What a process keeps in memory and must rebuild when a peer changes the data behind it. */
export interface Mirrors {
  routeTable: SnapshotHolder<RouteTable>;
  tokenIndex: SnapshotHolder<TokenIndex>;
  options: OptionsService;
}

export interface ClusterParts {
  config: Config;
  logger: FastifyBaseLogger;
  redis: Redis | undefined;
  clusterState: ClusterStateRepo;
  bus: ClusterBus;
  origin: string;
}

export function createChangeFeed(parts: ClusterParts, mirrors: Mirrors): ChangeFeed {
  const { routeTable, tokenIndex, options } = mirrors;
  return new ChangeFeed({
    marks: parts.clusterState,
    bus: parts.bus,
    origin: parts.origin,
    checkIntervalMs: parts.config.cluster.changeCheckMs,
    logger: parts.logger,
    rebuild: {
      routes: () => routeTable.rebuild(),
      tokens: () => tokenIndex.rebuild(),
      // Of all options, only SkipDepletedProviders shapes a snapshot; the rest are read live.
      options: async () => {
        const skipDepleted = options.get('SkipDepletedProviders');
        await options.load();
        if (options.get('SkipDepletedProviders') !== skipDepleted) await routeTable.rebuild();
      },
    },
  });
}

/** One process of all that share the database runs the jobs: whichever holds the lease. */
export function createLeader(parts: ClusterParts, scheduler: Scheduler): LeaderElection {
  return new LeaderElection({
    store: chooseLeaseStore(parts.redis, parts.config.redisKeyPrefix, parts.clusterState),
    name: 'jobs',
    holder: parts.origin,
    ttlMs: parts.config.cluster.leaderLeaseMs,
    // A process that leads from its start syncs at once, as a fresh start always did; a takeover
    // follows the timetable the previous leader left in the database.
    onElected: (atStart) => scheduler.start(atStart),
    onDeposed: () => scheduler.stop(),
    logger: parts.logger,
  });
}

/** SQLite is best written by one process: a worker of a cluster hands its records to the primary. */
export function createUsageWriter(
  config: Config,
  repo: UsageLogsRepo,
  logger: FastifyBaseLogger,
  accessClock: TokenAccessClock,
): UsageWriter | ForwardingUsageSink {
  return cluster.isWorker && config.database.driver === 'sqlite'
    ? new ForwardingUsageSink()
    : new UsageWriter(repo, logger, {}, (rows) => accessClock.recordBatch(rows));
}
