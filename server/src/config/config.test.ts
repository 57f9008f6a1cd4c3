import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { FlagError, HELP_TEXT, parseFlags } from './flags.js';

type Env = Record<string, string | undefined>;

/** The ConfigError that loading this env throws; fails the test when it throws nothing or something else. */
function configError(env: Env, flags: { port?: string; logDir?: string } = {}): ConfigError {
  try {
    loadConfig(env, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig', () => {
  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.trustedProxies)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.port).toBe(3000);
    const mysql = loadConfig({ SQL_DSN: 'u:p@tcp(db:3306)/app' });
    expect(Object.isFrozen(mysql.database)).toBe(true);
    expect(() => {
      (mysql.database as { driver: string }).driver = 'sqlite';
    }).toThrow(TypeError);
  });

  it('has working defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      database: { driver: 'sqlite', sqlitePath: 'gateway-aggregator.db' },
      redisUrl: undefined,
      redisKeyPrefix: 'ga:',
      sessionSecret: undefined,
      sessionSecure: false,
      logLevel: 'info',
      logDir: undefined,
      trustedProxies: [],
      apiRateLimit: 600,
      loginRateLimit: 10,
      shutdownTimeoutMs: 10_000,
      managementTimeoutMs: 30_000,
      relay: {
        bodyLimitBytes: 64 * 1024 * 1024,
        connectTimeoutMs: 10_000,
        firstByteTimeoutMs: 300_000,
        idleTimeoutMs: 300_000,
        totalTimeoutMs: 1_800_000,
      },
      workers: 1,
      cluster: { leaderLeaseMs: 15_000, changeCheckMs: 3000, schedulerTickMs: 30_000 },
      metrics: { enabled: false, token: undefined },
    });
  });

  it('reads the worker count from WORKERS or --workers, 0 meaning one per core', () => {
    expect(loadConfig({ WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig({ WORKERS: '4' }, { workers: '2' }).workers).toBe(2);
    expect(loadConfig({ WORKERS: '0' }).workers).toBe(availableParallelism());
    expect(() => loadConfig({ WORKERS: 'many' })).toThrow(/WORKERS: "many" is not allowed/);
    expect(() => loadConfig({}, { workers: '-1' })).toThrow(/--workers/);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({
      PORT: '',
      HOST: ' ',
      SQL_DSN: '',
      SESSION_SECRET: '  ',
      LOG_LEVEL: '',
      API_RATE_LIMIT: ' ',
    });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ driver: 'sqlite', sqlitePath: 'gateway-aggregator.db' });
    expect(config.sessionSecret).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.apiRateLimit).toBe(600);
  });

  it('reads the plain values', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      REDIS_CONN_STRING: 'redis://:pw@cache:6379/2',
      REDIS_KEY_PREFIX: 'test:',
      SESSION_SECRET: 'abc',
      SESSION_SECURE: 'yes',
      API_RATE_LIMIT: '0',
      LOGIN_RATE_LIMIT: '5',
      SHUTDOWN_TIMEOUT: '3',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      redisUrl: 'redis://:pw@cache:6379/2',
      redisKeyPrefix: 'test:',
      sessionSecret: 'abc',
      sessionSecure: true,
      apiRateLimit: 0,
      loginRateLimit: 5,
      shutdownTimeoutMs: 3000,
    });
  });

  it('lets --port override PORT, even an invalid PORT', () => {
    expect(loadConfig({ PORT: '8080' }, { port: '9090' }).port).toBe(9090);
    expect(loadConfig({ PORT: 'abc' }, { port: '9090' }).port).toBe(9090);
  });

  it('names --port when the flag is bad', () => {
    const error = configError({ PORT: '8080' }, { port: '0' });
    expect(error.variable).toBe('--port');
    expect(error.message).toMatch(/1 to 65535/);
  });

  it('resolves --log-dir to an absolute path', () => {
    expect(loadConfig({}, { logDir: 'logs' }).logDir).toBe(path.resolve('logs'));
    expect(configError({}, { logDir: ' ' }).variable).toBe('--log-dir');
  });

  it.each(['abc', '0', '70000', '-1', '80.5', '1e3'])('refuses PORT=%s and says what is allowed', (value) => {
    const error = configError({ PORT: value });
    expect(error.variable).toBe('PORT');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain(`"${value}"`);
    expect(error.message).toMatch(/integer from 1 to 65535/);
  });

  it('accepts the edges of the port range', () => {
    expect(loadConfig({ PORT: '1' }).port).toBe(1);
    expect(loadConfig({ PORT: ' 65535 ' }).port).toBe(65535);
  });

  describe('log level', () => {
    it('GIN_MODE=debug means debug, release and test mean info', () => {
      expect(loadConfig({ GIN_MODE: 'debug' }).logLevel).toBe('debug');
      expect(loadConfig({ GIN_MODE: 'DEBUG' }).logLevel).toBe('debug');
      expect(loadConfig({ GIN_MODE: 'release' }).logLevel).toBe('info');
      expect(loadConfig({ GIN_MODE: 'test' }).logLevel).toBe('info');
    });

    it('LOG_LEVEL wins over GIN_MODE', () => {
      expect(loadConfig({ LOG_LEVEL: 'warn', GIN_MODE: 'debug' }).logLevel).toBe('warn');
      expect(loadConfig({ LOG_LEVEL: 'Trace', GIN_MODE: 'release' }).logLevel).toBe('trace');
    });

    it('refuses LOG_LEVEL=loud and lists the levels', () => {
      const error = configError({ LOG_LEVEL: 'loud' });
      expect(error.variable).toBe('LOG_LEVEL');
      expect(error.message).toContain('"loud"');
      expect(error.message).toMatch(/fatal, error, warn, info, debug, trace, silent/);
    });

    it('refuses GIN_MODE=weird and lists the modes, even when LOG_LEVEL is set', () => {
      expect(configError({ GIN_MODE: 'weird', LOG_LEVEL: 'info' }).variable).toBe('GIN_MODE');
      const error = configError({ GIN_MODE: 'weird' });
      expect(error.variable).toBe('GIN_MODE');
      expect(error.message).toMatch(/debug, release or test/);
    });
  });

  describe('database', () => {
    it('detects the driver from the DSN when SQL_DRIVER is unset', () => {
      expect(loadConfig({ SQL_DSN: 'u:p@tcp(db:3307)/app' }).database).toEqual({
        driver: 'mysql',
        mysql: { host: 'db', port: 3307, user: 'u', password: 'p', database: 'app' },
      });
      expect(loadConfig({ SQL_DSN: 'postgres://u:p@db/app' }).database).toEqual({
        driver: 'postgres',
        postgres: { connectionString: 'postgres://u:p@db/app' },
      });
      expect(loadConfig({ SQL_DSN: 'dbname=app user=u port=6543' }).database).toMatchObject({
        driver: 'postgres',
        postgres: { database: 'app', user: 'u', port: 6543 },
      });
    });

    it('uses SQL_DRIVER over the detected driver and accepts aliases', () => {
      expect(loadConfig({ SQL_DRIVER: 'MariaDB', SQL_DSN: 'mysql://u@db/app' }).database.driver).toBe('mysql');
      expect(loadConfig({ SQL_DRIVER: 'pg', SQL_DSN: 'postgres://db/app' }).database.driver).toBe('postgres');
      expect(loadConfig({ SQL_DRIVER: 'sqlite3' }).database).toEqual({
        driver: 'sqlite',
        sqlitePath: 'gateway-aggregator.db',
      });
    });

    it('with SQL_DRIVER=sqlite, takes SQL_DSN as the file path', () => {
      expect(loadConfig({ SQL_DRIVER: 'sqlite', SQL_DSN: '/data/one.db' }).database).toEqual({
        driver: 'sqlite',
        sqlitePath: '/data/one.db',
      });
    });

    it('SQLITE_PATH wins over SQL_DSN and the default', () => {
      expect(loadConfig({ SQLITE_PATH: '/data/two.db' }).database).toEqual({
        driver: 'sqlite',
        sqlitePath: '/data/two.db',
      });
      expect(
        loadConfig({ SQL_DRIVER: 'sqlite', SQL_DSN: '/data/one.db', SQLITE_PATH: '/data/two.db' }).database,
      ).toEqual({ driver: 'sqlite', sqlitePath: '/data/two.db' });
    });

    it('refuses SQL_DRIVER=oracle and lists the drivers', () => {
      const error = configError({ SQL_DRIVER: 'oracle', SQL_DSN: 'oracle://db/app' });
      expect(error.variable).toBe('SQL_DRIVER');
      expect(error.message).toContain('"oracle"');
      expect(error.message).toMatch(/sqlite, mysql or postgres/);
    });

    it.each(['mysql', 'postgres'])('requires SQL_DSN with SQL_DRIVER=%s', (driver) => {
      const error = configError({ SQL_DRIVER: driver, SQL_DSN: ' ' });
      expect(error.variable).toBe('SQL_DSN');
      expect(error.message).toBe(`SQL_DSN: is required when SQL_DRIVER=${driver}`);
    });

    it('turns a bad MySQL DSN into a ConfigError naming SQL_DSN', () => {
      const error = configError({ SQL_DRIVER: 'mysql', SQL_DSN: 'db.internal:3306' });
      expect(error.variable).toBe('SQL_DSN');
      expect(error.message).toMatch(/mysql:\/\/user:pass@host:3306\/db/);
      expect(configError({ SQL_DSN: 'u:p@tcp(db)/' }).message).toMatch(/^SQL_DSN: .*names no database/);
    });

    it('turns malformed percent-encoding in a MySQL URL into a ConfigError naming SQL_DSN', () => {
      expect(configError({ SQL_DSN: 'mysql://u:%zz@db/app' }).variable).toBe('SQL_DSN');
    });

    it('turns a bad PostgreSQL DSN into a ConfigError naming SQL_DSN', () => {
      const error = configError({ SQL_DSN: 'dbname=app user=u port=x' });
      expect(error.variable).toBe('SQL_DSN');
      expect(error.message).toMatch(/"x" is not a port number/);
    });
  });

  describe('REDIS_CONN_STRING', () => {
    it.each(['http://x', 'redis://', 'cache:6379', 'not a url'])('refuses %j with the expected form', (value) => {
      const error = configError({ REDIS_CONN_STRING: value });
      expect(error.variable).toBe('REDIS_CONN_STRING');
      expect(error.message).toMatch(/redis:\/\/\[user:password@\]host:6379/);
    });

    it('accepts rediss://', () => {
      expect(loadConfig({ REDIS_CONN_STRING: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
    });
  });

  describe('TRUSTED_PROXIES', () => {
    it('accepts IPv4 and IPv6 addresses and CIDRs, comma- or space-separated', () => {
      expect(
        loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1 ::1,fd00::/8  192.168.1.0/24' }).trustedProxies,
      ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', '192.168.1.0/24']);
      expect(loadConfig({ TRUSTED_PROXIES: '0.0.0.0/0,::/0,10.1.2.3/32,2001:db8::/128' }).trustedProxies).toHaveLength(
        4,
      );
    });

    it.each(['10.0.0.0/8,proxy.internal', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.256'])(
      'refuses %j and names the bad entry',
      (value) => {
        const error = configError({ TRUSTED_PROXIES: value });
        expect(error.variable).toBe('TRUSTED_PROXIES');
        const bad = value.split(',').at(-1)!;
        expect(error.message).toContain(`"${bad}"`);
        expect(error.message).toMatch(/not an IP address or CIDR \(e\.g\. 10\.0\.0\.0\/8, ::1\)/);
      },
    );
  });

  describe('integers and booleans', () => {
    it.each([
      ['API_RATE_LIMIT', '-1', /integer from 0 to 1000000/],
      ['API_RATE_LIMIT', 'lots', /integer from 0 to 1000000/],
      ['LOGIN_RATE_LIMIT', '1000001', /integer from 0 to 1000000/],
      ['SHUTDOWN_TIMEOUT', '3601', /integer from 0 to 3600/],
      ['SHUTDOWN_TIMEOUT', '1.5', /integer from 0 to 3600/],
    ])('refuses %s=%s', (variable, value, allowed) => {
      const error = configError({ [variable]: value });
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(`"${value}"`);
      expect(error.message).toMatch(allowed);
    });

    it.each([
      ['true', true],
      ['1', true],
      ['ON', true],
      ['false', false],
      ['0', false],
      ['No', false],
    ])('reads SESSION_SECURE=%s as %s', (value, expected) => {
      expect(loadConfig({ SESSION_SECURE: value }).sessionSecure).toBe(expected);
    });

    it('refuses SESSION_SECURE=maybe', () => {
      const error = configError({ SESSION_SECURE: 'maybe' });
      expect(error.variable).toBe('SESSION_SECURE');
      expect(error.message).toBe('SESSION_SECURE: "maybe" is not allowed; use true or false');
    });
  });
});

describe('parseFlags', () => {
  it('reads nothing from no arguments', () => {
    expect(parseFlags([])).toEqual({ port: undefined, logDir: undefined, version: false, help: false });
  });

  it('reads --port and --log-dir in both spellings', () => {
    expect(parseFlags(['--port', '8080', '--log-dir', '/var/log/ga'])).toMatchObject({
      port: '8080',
      logDir: '/var/log/ga',
    });
    expect(parseFlags(['--port=8081', '--log-dir=logs'])).toMatchObject({ port: '8081', logDir: 'logs' });
  });

  it('reads --version, -v, --help and -h', () => {
    expect(parseFlags(['--version'])).toMatchObject({ version: true, help: false });
    expect(parseFlags(['-v']).version).toBe(true);
    expect(parseFlags(['--help'])).toMatchObject({ help: true, version: false });
    expect(parseFlags(['-h']).help).toBe(true);
  });

  it.each([
    { argv: ['--bogus'] },
    { argv: ['serve'] },
    { argv: ['--port'] },
    { argv: ['--port', '--log-dir', 'x'] },
    { argv: ['--version=yes'] },
  ])('refuses $argv with the help text', ({ argv }) => {
    let error: unknown;
    try {
      parseFlags(argv);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlagError);
    expect((error as FlagError).message).toContain(HELP_TEXT);
    expect((error as FlagError).message.length).toBeGreaterThan(HELP_TEXT.length);
  });

  it('names the unknown flag', () => {
    expect(() => parseFlags(['--bogus'])).toThrow(/--bogus/);
  });

  it('documents both flags in the help text', () => {
    expect(HELP_TEXT).toMatch(/--port <n>/);
    expect(HELP_TEXT).toMatch(/--log-dir <dir>/);
  });
});
