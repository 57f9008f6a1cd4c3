import cluster from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ClusterStateRepo } from '../repos/cluster-state.js';
import { SilentBus, type ClusterBus } from './bus.js';
import { IpcBus } from './ipc-bus.js';
import { DatabaseLeaseStore, RedisLeaseStore, type LeaseStore } from './leases.js';
import { RedisBus } from './redis-bus.js';

/**
 * Redis reaches every process on every host, so with Redis it is the bus; without it, workers of
 * one host still hear each other through their primary, and a lone process needs no bus.
 */
export async function openClusterBus(
  redis: Redis | undefined,
  keyPrefix: string,
  logger: FastifyBaseLogger,
): Promise<ClusterBus> {
  if (redis) return RedisBus.open(redis, keyPrefix, logger);
  if (cluster.isWorker) return new IpcBus();
  return new SilentBus();
}

/** The jobs lease lives in Redis when there is one, else in the shared database. */
export function chooseLeaseStore(redis: Redis | undefined, keyPrefix: string, repo: ClusterStateRepo): LeaseStore {
  return redis ? new RedisLeaseStore(redis, keyPrefix) : new DatabaseLeaseStore(repo);
}
