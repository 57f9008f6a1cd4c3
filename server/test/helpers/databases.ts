import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config/config.js';
import { parseMysqlDsn } from '../../src/config/dsn.js';
import { createDatabase } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';

/**
 * Each test file gets databases of its own: a temporary SQLite file, and a fresh database on the
 * shared MySQL and PostgreSQL servers, so files run in parallel without seeing each other's rows.
 */
export type DialectName = 'sqlite' | 'mysql' | 'postgres';
export const DIALECTS: readonly DialectName[] = ['sqlite', 'mysql', 'postgres'];

export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_DB_PREFIX = 'ga_t_';

export interface TestDatabase {
  dialect: DialectName;
  config: DatabaseConfig;
  /** The same database as the environment a gateway process reads. */
  env: Record<string, string>;
  /** Drops the database (or deletes the file). */
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ga-test-'));
    return {
      dialect,
      config: { driver: 'sqlite', sqlitePath: path.join(dir, 'test.db') },
      env: { SQLITE_PATH: path.join(dir, 'test.db') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  if (dialect === 'mysql') {
    const admin = await mysql.createConnection(MYSQL_URL);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await admin.end();
    return {
      dialect,
      config: { driver: 'mysql', mysql: { ...parseMysqlDsn(MYSQL_URL), database: name } },
      env: { SQL_DSN: withDatabase(MYSQL_URL, name) },
      drop: async () => {
        const conn = await mysql.createConnection(MYSQL_URL);
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await conn.end();
      },
    };
  }
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    dialect,
    config: { driver: 'postgres', postgres: { connectionString: withDatabase(POSTGRES_URL, name) } },
    env: { SQL_DSN: withDatabase(POSTGRES_URL, name) },
    drop: async () => {
      const conn = new pg.Client({ connectionString: POSTGRES_URL });
      await conn.connect();
      await conn.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await conn.end();
    },
  };
}

export function openTestDatabase(database: TestDatabase): Kysely<Database> {
  return createDatabase(database.config);
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
