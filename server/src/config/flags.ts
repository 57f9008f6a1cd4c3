import { parseArgs } from 'node:util';

export interface Flags {
  port?: string;
  logDir?: string;
  workers?: string;
  version: boolean;
  help: boolean;
}

export class FlagError extends Error {}

export const HELP_TEXT = `Usage: gateway-aggregator [options]

Options:
  --port <n>       port to listen on (default 3000; overrides PORT)
  --log-dir <dir>  also write logs to files in this directory
  --workers <n>    serve with n processes (default 1; 0 = one per core; overrides WORKERS)
  --version        print the version and exit
  --help           print this help and exit

Environment:
  PORT, HOST, SQL_DRIVER (sqlite|mysql|postgres), SQL_DSN, SQLITE_PATH,
  REDIS_CONN_STRING, REDIS_KEY_PREFIX, SESSION_SECRET, SESSION_SECURE, LOG_LEVEL, GIN_MODE,
  TRUSTED_PROXIES, API_RATE_LIMIT, LOGIN_RATE_LIMIT, SHUTDOWN_TIMEOUT,
  UPSTREAM_MANAGEMENT_TIMEOUT, RELAY_BODY_LIMIT_MB, RELAY_CONNECT_TIMEOUT,
  RELAY_FIRST_BYTE_TIMEOUT, RELAY_IDLE_TIMEOUT, RELAY_TOTAL_TIMEOUT,
  METRICS_ENABLED, METRICS_TOKEN, WORKERS, LEADER_LEASE_SECONDS, CHANGE_CHECK_SECONDS,
  SCHEDULER_TICK_SECONDS
  (see README.md for what each one does)
`;

export function parseFlags(argv: readonly string[]): Flags {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'log-dir': { type: 'string' },
        workers: { type: 'string' },
        version: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      port: values.port,
      logDir: values['log-dir'],
      workers: values.workers,
      version: values.version,
      help: values.help,
    };
  } catch (error) {
    throw new FlagError(`${(error as Error).message}\n\n${HELP_TEXT}`);
  }
}
