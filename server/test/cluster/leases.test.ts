import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLeaseStore, RedisLeaseStore, type LeaseStore } from '../../src/cluster/leases.js';
import { DatabaseJobMarks } from '../../src/cluster/job-marks.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { ClusterStateRepo } from '../../src/repos/cluster-state.js';
import { openTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase, unavailableReason } from '../helpers/matrix.js';
import { REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/** The lease contract every store keeps; `later` moves the store's clock past a TTL. */
function leaseContract(store: () => LeaseStore, later: (ms: number) => Promise<void>) {
  it('gives a free lease to one holder, renews it for that holder only, and frees it on release', async () => {
    expect(await store().acquire('jobs', 'a', 1000)).toBe(true);
    expect(await store().acquire('jobs', 'b', 1000)).toBe(false);
    expect(await store().acquire('jobs', 'a', 1000)).toBe(true); // renewal
    await store().release('jobs', 'b'); // not b's to release
    expect(await store().acquire('jobs', 'b', 1000)).toBe(false);
    await store().release('jobs', 'a');
    expect(await store().acquire('jobs', 'b', 1000)).toBe(true);
    await store().release('jobs', 'b');
  });

  it('lets another holder take a lease its holder stopped renewing', async () => {
    expect(await store().acquire('expiring', 'a', 200)).toBe(true);
    await later(300);
    expect(await store().acquire('expiring', 'b', 200)).toBe(true);
    expect(await store().acquire('expiring', 'a', 200)).toBe(false); // the old holder cannot renew it back
  });

  it('gives a free lease to exactly one of many racing holders', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store().acquire('race', `h${i}`, 5000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
}

describeEachDatabase('the database lease store and job marks', (database) => {
  let db: Kysely<Database>;
  let clock = Date.now();
  let repo: ClusterStateRepo;
  beforeAll(async () => {
    db = openTestDatabase(database());
    await migrateToLatest(db);
    repo = new ClusterStateRepo(db);
  });
  afterAll(() => db.destroy());

  leaseContract(
    () => new DatabaseLeaseStore(repo, () => clock),
    (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  );

  it('keeps the jobs timetable for whichever process leads next', async () => {
    const marks = new DatabaseJobMarks(repo);
    expect(await marks.lastRun('sync')).toBe(Number.NEGATIVE_INFINITY);
    await marks.setLastRun('sync', 1_800_000_000);
    await marks.setLastRun('sync', 1_800_000_060);
    expect(await new DatabaseJobMarks(new ClusterStateRepo(db)).lastRun('sync')).toBe(1_800_000_060);
    expect(await marks.lastRun('retention')).toBe(Number.NEGATIVE_INFINITY);
  });
});

const redisReason = unavailableReason('redis');
describe.skipIf(redisReason !== null)(`the Redis lease store${redisReason ? ` (skipped: ${redisReason})` : ''}`, () => {
  let redis: Redis;
  const prefix = uniquePrefix('lease');
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  // Redis expires keys on its own clock: the wait is real, and short.
  leaseContract(
    () => new RedisLeaseStore(redis, prefix),
    (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  );

  it('keeps the lease under the configured key prefix with the TTL asked for', async () => {
    await new RedisLeaseStore(redis, prefix).acquire('ttl', 'a', 4000);
    expect(await redis.get(`${prefix}lease:ttl`)).toBe('a');
    expect(await redis.pttl(`${prefix}lease:ttl`)).toBeGreaterThan(3000);
  });
});
