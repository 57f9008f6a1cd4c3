import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Redis } from 'ioredis';
import { MYSQL_URL, POSTGRES_URL, TEST_DB_PREFIX } from './databases.js';
import { REDIS_URL } from './redis.js';
import { CHROMIUM_PATH } from './browser.js';

/**
 * Checks once per run which services are reachable and tells every test file. On CI they must all
 * be there (a missing one fails the run); on a developer's machine the tests that need a missing one
 * are skipped, and this says which and why.
 */
export type Availability = Record<'mysql' | 'postgres' | 'redis' | 'chromium', string | null>;

declare module 'vitest' {
  export interface ProvidedContext {
    unavailable: Availability;
  }
}

/** A test database whose creating process (its name carries the pid) has died: a crashed run's. */
function isLeftOver(name: string): boolean {
  const pid = Number(name.slice(TEST_DB_PREFIX.length).split('_')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function probe(check: () => Promise<void>): Promise<string | null> {
  try {
    await check();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // Process-level tests run the compiled server, as `npm start` does; build it when sources changed.
  execFileSync('node', [fileURLToPath(new URL('../../../scripts/build-if-stale.mjs', import.meta.url))], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const unavailable: Availability = {
    mysql: await probe(async () => {
      const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
      const [rows] = await conn.query<mysql.RowDataPacket[]>(`SHOW DATABASES LIKE '${TEST_DB_PREFIX}%'`);
      for (const name of rows.map((row) => String(Object.values(row)[0])).filter(isLeftOver)) {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      }
      await conn.end();
    }),
    postgres: await probe(async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DB_PREFIX}%'`,
      );
      for (const { datname } of rows.filter((row) => isLeftOver(row.datname))) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await client.end();
    }),
    chromium: await probe(() =>
      existsSync(CHROMIUM_PATH) ? Promise.resolve() : Promise.reject(new Error(`${CHROMIUM_PATH} is not installed`)),
    ),
    redis: await probe(async () => {
      const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0 });
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    }),
  };
  const missing = Object.entries(unavailable).filter(([, reason]) => reason !== null);
  for (const [service, reason] of missing) {
    process.stderr.write(`\n[tests] ${service} is unreachable (${reason}); its tests are SKIPPED\n`);
  }
  if (missing.length > 0 && process.env.CI && process.env.CI !== 'false') {
    throw new Error(`CI needs every service, but these are unreachable: ${missing.map(([s]) => s).join(', ')}`);
  }
  project.provide('unavailable', unavailable);
}
