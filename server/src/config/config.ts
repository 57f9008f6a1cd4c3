import path from 'node:path';
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import {
  DsnError,
  detectDriver,
  parseDriverName,
  parseMysqlDsn,
  parsePostgresDsn,
  type MysqlConnection,
  type PostgresConnection,
  type SqlDriver,
} from './dsn.js';
import type { Flags } from './flags.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | { readonly driver: 'sqlite'; readonly sqlitePath: string }
  | { readonly driver: 'mysql'; readonly mysql: MysqlConnection }
  | { readonly driver: 'postgres'; readonly postgres: PostgresConnection };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key, so deployments (or test runs) can share one Redis. */
  readonly redisKeyPrefix: string;
  /** Undefined means: generate one and keep it in the database, so restarts and peers share it. */
  readonly sessionSecret: string | undefined;
  readonly sessionSecure: boolean;
  readonly logLevel: LogLevel;
  readonly logDir: string | undefined;
  readonly trustedProxies: readonly string[];
  /** Requests per minute per client IP on /api; 0 turns the limit off. */
  readonly apiRateLimit: number;
  /** Login and registration attempts per minute per client IP; 0 turns the limit off. */
  readonly loginRateLimit: number;
  readonly shutdownTimeoutMs: number;
  /** Bound on each call to an upstream's management API (sync, check-in). */
  readonly managementTimeoutMs: number;
  readonly relay: RelayConfig;
  /** Processes serving on the port (node:cluster); 1 runs a single process. */
  readonly workers: number;
  readonly cluster: ClusterConfig;
  /** /metrics is served only when enabled; with a token it also needs `Authorization: Bearer <token>`. */
  readonly metrics: { readonly enabled: boolean; readonly token: string | undefined };
}

export interface RelayConfig {
  /** Largest request body the relay accepts (audio uploads are the big ones). */
  readonly bodyLimitBytes: number;
  readonly connectTimeoutMs: number;
  /** From sending the request to the upstream's response headers. */
  readonly firstByteTimeoutMs: number;
  /** Longest silence between two chunks of a response. */
  readonly idleTimeoutMs: number;
  /** Cap on a whole attempt, streaming included. */
  readonly totalTimeoutMs: number;
}

/** How processes sharing one database (and Redis) coordinate. */
export interface ClusterConfig {
  /** How long the jobs leader's lease lasts without renewal: the longest the jobs go unrun after it dies. */
  readonly leaderLeaseMs: number;
  /** How often a process compares its snapshots with the database, for changes whose announcement it missed. */
  readonly changeCheckMs: number;
  /** How often the leader wakes to see which scheduled job is due. */
  readonly schedulerTickMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads env and flags once; the only reader of process.env in the program. */
export function loadConfig(env: Env, flags: Pick<Flags, 'port' | 'logDir' | 'workers'> = {}): Config {
  const config: Config = {
    port: flags.port !== undefined ? parsePort('--port', flags.port) : parsePort('PORT', nonEmpty(env.PORT) ?? '3000'),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    database: parseDatabase(env),
    redisUrl: parseRedisUrl(nonEmpty(env.REDIS_CONN_STRING)),
    redisKeyPrefix: nonEmpty(env.REDIS_KEY_PREFIX) ?? 'ga:',
    sessionSecret: nonEmpty(env.SESSION_SECRET),
    sessionSecure: parseBoolean('SESSION_SECURE', env.SESSION_SECURE, false),
    logLevel: parseLogLevel(env),
    logDir: flags.logDir !== undefined ? parseLogDir(flags.logDir) : undefined,
    trustedProxies: parseTrustedProxies(env.TRUSTED_PROXIES),
    apiRateLimit: parseInteger('API_RATE_LIMIT', env.API_RATE_LIMIT, 600, 0, 1_000_000),
    loginRateLimit: parseInteger('LOGIN_RATE_LIMIT', env.LOGIN_RATE_LIMIT, 10, 0, 1_000_000),
    shutdownTimeoutMs: parseInteger('SHUTDOWN_TIMEOUT', env.SHUTDOWN_TIMEOUT, 10, 0, 3600) * 1000,
    managementTimeoutMs:
      parseInteger('UPSTREAM_MANAGEMENT_TIMEOUT', env.UPSTREAM_MANAGEMENT_TIMEOUT, 30, 1, 600) * 1000,
    relay: parseRelay(env),
    workers: parseWorkers(flags.workers !== undefined ? '--workers' : 'WORKERS', flags.workers ?? env.WORKERS),
    cluster: {
      leaderLeaseMs: parseInteger('LEADER_LEASE_SECONDS', env.LEADER_LEASE_SECONDS, 15, 1, 600) * 1000,
      changeCheckMs: parseInteger('CHANGE_CHECK_SECONDS', env.CHANGE_CHECK_SECONDS, 3, 1, 600) * 1000,
      schedulerTickMs: parseInteger('SCHEDULER_TICK_SECONDS', env.SCHEDULER_TICK_SECONDS, 30, 1, 3600) * 1000,
    },
    metrics: {
      enabled: parseBoolean('METRICS_ENABLED', env.METRICS_ENABLED, false) || nonEmpty(env.METRICS_TOKEN) !== undefined,
      token: nonEmpty(env.METRICS_TOKEN),
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function parseRelay(env: Env): RelayConfig {
  const seconds = (variable: string, fallback: number, max: number) =>
    parseInteger(variable, env[variable], fallback, 1, max) * 1000;
  return {
    bodyLimitBytes: parseInteger('RELAY_BODY_LIMIT_MB', env.RELAY_BODY_LIMIT_MB, 64, 1, 1024) * 1024 * 1024,
    connectTimeoutMs: seconds('RELAY_CONNECT_TIMEOUT', 10, 600),
    firstByteTimeoutMs: seconds('RELAY_FIRST_BYTE_TIMEOUT', 300, 3600),
    idleTimeoutMs: seconds('RELAY_IDLE_TIMEOUT', 300, 3600),
    totalTimeoutMs: seconds('RELAY_TOTAL_TIMEOUT', 1800, 86_400),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parsePort(variable: string, value: string): number {
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) {
    throw new ConfigError(variable, `"${value}" is not a port; use an integer from 1 to 65535`);
  }
  return port;
}

/** 0 means one process per core. */
function parseWorkers(variable: string, value: string | undefined): number {
  const workers = parseInteger(variable, value, 1, 0, 256);
  return workers === 0 ? availableParallelism() : workers;
}

function parseInteger(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(value);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
    throw new ConfigError(variable, `"${raw}" is not allowed; use an integer from ${min} to ${max}`);
  }
  return parsed;
}

function parseBoolean(variable: string, value: string | undefined, fallback: boolean): boolean {
  const raw = nonEmpty(value)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(variable, `"${value}" is not allowed; use true or false`);
}

function parseLogLevel(env: Env): LogLevel {
  const ginMode = nonEmpty(env.GIN_MODE)?.toLowerCase();
  if (ginMode !== undefined && !['debug', 'release', 'test'].includes(ginMode)) {
    throw new ConfigError('GIN_MODE', `"${env.GIN_MODE}" is not allowed; use debug, release or test`);
  }
  const raw = nonEmpty(env.LOG_LEVEL)?.toLowerCase();
  if (raw === undefined) return ginMode === 'debug' ? 'debug' : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `"${env.LOG_LEVEL}" is not allowed; use one of ${LOG_LEVELS.join(', ')}`);
  }
  return raw as LogLevel;
}

function parseLogDir(value: string): string {
  if (!value.trim()) throw new ConfigError('--log-dir', 'needs a directory path');
  return path.resolve(value);
}

function parseDatabase(env: Env): DatabaseConfig {
  const dsn = nonEmpty(env.SQL_DSN);
  const driverName = nonEmpty(env.SQL_DRIVER);
  let driver: SqlDriver;
  if (driverName === undefined) {
    driver = detectDriver(dsn);
  } else {
    const parsed = parseDriverName(driverName);
    if (!parsed) throw new ConfigError('SQL_DRIVER', `"${driverName}" is not allowed; use sqlite, mysql or postgres`);
    driver = parsed;
  }
  if (driver === 'sqlite') {
    // With SQL_DRIVER=sqlite the DSN, when given, is the file path (the Go gateway's rule).
    const sqlitePath = nonEmpty(env.SQLITE_PATH) ?? (driverName ? dsn : undefined) ?? 'gateway-aggregator.db';
    return { driver, sqlitePath };
  }
  if (!dsn) throw new ConfigError('SQL_DSN', `is required when SQL_DRIVER=${driver}`);
  try {
    return driver === 'mysql' ? { driver, mysql: parseMysqlDsn(dsn) } : { driver, postgres: parsePostgresDsn(dsn) };
  } catch (error) {
    if (error instanceof DsnError) throw new ConfigError('SQL_DSN', error.message);
    throw error;
  }
}

function parseRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) {
    throw new ConfigError('REDIS_CONN_STRING', 'is not a Redis URL; use redis://[user:password@]host:6379[/db]');
  }
  return value;
}

function parseTrustedProxies(value: string | undefined): readonly string[] {
  const entries = (value ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!isIpOrCidr(entry)) {
      throw new ConfigError('TRUSTED_PROXIES', `"${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, ::1)`);
    }
  }
  return Object.freeze(entries);
}

function isIpOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}
