import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import type { Database } from './schema.js';

/**
 * One Kysely instance per process. The drivers are set so that all three databases hand back
 * plain JS numbers for integers, counts and sums: the code above this seam never sees a string
 * where the other databases give a number.
 */
export function createDatabase(
  config: DatabaseConfig,
  onIdleError: (error: Error) => void = () => undefined,
  onQuery?: (sql: string) => void,
): Kysely<Database> {
  const db: Kysely<Database> = new Kysely<Database>({
    dialect: createDialect(config, onIdleError, (handle) => sqliteHandles.set(db, handle)),
    ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}),
  });
  return db;
}

const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The better-sqlite3 connection behind a SQLite Kysely (once it has run a query), for the usage
 * writer: Kysely prepares every statement anew, and preparing the usage insert costs more than
 * running it. Use it only while holding Kysely's connection (`db.connection().execute`).
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

function createDialect(
  config: DatabaseConfig,
  onIdleError: (error: Error) => void,
  onSqliteOpen: (handle: SQLite.Database) => void,
): Dialect {
  switch (config.driver) {
    case 'sqlite':
      return new SqliteDialect({
        database: () => {
          const handle = openSqlite(config.sqlitePath);
          onSqliteOpen(handle);
          return Promise.resolve(handle);
        },
      });
    case 'mysql':
      return new MysqlDialect({
        pool: createMysqlPool({
          ...config.mysql,
          connectionLimit: 10,
          decimalNumbers: true,
          supportBigNumbers: true,
          bigNumberStrings: false,
          charset: 'utf8mb4',
          timezone: 'Z',
        }),
      });
    case 'postgres': {
      const pool = new pg.Pool({ ...config.postgres, max: 10, types: postgresTypes });
      // An idle connection dropped by the server (restart, failover) is replaced on next use;
      // without a listener its error event would crash the process.
      pool.on('error', onIdleError);
      return new PostgresDialect({ pool });
    }
  }
}

function openSqlite(path: string): SQLite.Database {
  const db = new SQLite(path, { timeout: 10_000 });
  // WAL lets the admin API read while the usage sink writes; NORMAL is durable enough under WAL.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};
