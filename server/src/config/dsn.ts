/**
 * Database selection and DSN parsing. The seed's rule: without SQL_DRIVER, no DSN means SQLite,
 * a PostgreSQL-looking DSN means PostgreSQL, anything else is MySQL. MySQL DSNs come in URL form or
 * in the Go driver's `user:pass@tcp(host:port)/db?params` form, which users of the Go gateway have.
 */

export type SqlDriver = 'sqlite' | 'mysql' | 'postgres';

export interface MysqlConnection {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password: string;
  database: string;
  ssl?: { rejectUnauthorized: boolean };
}

export interface PostgresConnection {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
}

export class DsnError extends Error {}

const DRIVER_ALIASES: Record<string, SqlDriver> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  mysql: 'mysql',
  mariadb: 'mysql',
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
};

export function parseDriverName(value: string): SqlDriver | undefined {
  return DRIVER_ALIASES[value.trim().toLowerCase()];
}

export function looksLikePostgres(dsn: string): boolean {
  const trimmed = dsn.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return true;
  // libpq keyword/value form: "host=... dbname=... user=..."; no MySQL DSN has a dbname= word.
  return /(^|\s)dbname\s*=/.test(trimmed);
}

export function detectDriver(dsn: string | undefined): SqlDriver {
  if (!dsn) return 'sqlite';
  return looksLikePostgres(dsn) ? 'postgres' : 'mysql';
}

const GO_MYSQL_DSN = /^(?:([^:@/]*)(?::(.*))?@)?(?:(tcp|unix)\(([^)]*)\))?\/([^?]*)(?:\?(.*))?$/;

/**
 * TLS from the DSN's parameters: the Go driver's `tls=true|skip-verify|preferred|false`, or the
 * MySQL clients' `ssl-mode`. mysql2 cannot fall back to plain text as "preferred" does, so that
 * one means no TLS, as the Go driver does against a server that does not offer it.
 */
function mysqlTls(params: URLSearchParams): Pick<MysqlConnection, 'ssl'> {
  const tls = (params.get('tls') ?? params.get('ssl') ?? '').toLowerCase();
  const mode = (params.get('ssl-mode') ?? params.get('sslmode') ?? '').toUpperCase();
  if (['true', '1', 'verify'].includes(tls) || ['VERIFY_CA', 'VERIFY_IDENTITY'].includes(mode)) {
    return { ssl: { rejectUnauthorized: true } };
  }
  if (tls === 'skip-verify' || mode === 'REQUIRED') return { ssl: { rejectUnauthorized: false } };
  if (['', 'false', '0', 'preferred'].includes(tls) && ['', 'DISABLED', 'PREFERRED'].includes(mode)) return {};
  throw new DsnError(
    'unknown TLS setting in the MySQL DSN; use tls=true, tls=skip-verify, tls=false or ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY|DISABLED',
  );
}

export function parseMysqlDsn(dsn: string): MysqlConnection {
  const trimmed = dsn.trim();
  if (/^(mysql|mariadb):\/\//i.test(trimmed)) return parseMysqlUrl(trimmed);
  const match = GO_MYSQL_DSN.exec(trimmed);
  if (!match) {
    throw new DsnError('not a MySQL DSN; use mysql://user:pass@host:3306/db or user:pass@tcp(host:3306)/db');
  }
  const [, user = '', password = '', protocol = 'tcp', address = '', database = '', query = ''] = match;
  if (!database) throw new DsnError('the MySQL DSN names no database (…/dbname)');
  const tls = mysqlTls(new URLSearchParams(query));
  if (protocol === 'unix') return { socketPath: address, user, password, database, ...tls };
  const { host, port } = splitHostPort(address || '127.0.0.1:3306', 3306);
  return { host, port, user, password, database, ...tls };
}

function parseMysqlUrl(dsn: string): MysqlConnection {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new DsnError('the MySQL URL cannot be parsed');
  }
  const database = decodeUrlPart(url.pathname.replace(/^\//, ''));
  if (!database) throw new DsnError('the MySQL URL names no database (…/dbname)');
  return {
    // URL keeps the brackets around an IPv6 host; the socket API wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeUrlPart(url.username),
    password: decodeUrlPart(url.password),
    database,
    ...mysqlTls(url.searchParams),
  };
}

function decodeUrlPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new DsnError('the MySQL URL has malformed percent-encoding');
  }
}

function splitHostPort(address: string, defaultPort: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed) {
    return { host: bracketed[1] ?? '', port: bracketed[2] ? Number(bracketed[2]) : defaultPort };
  }
  const lastColon = address.lastIndexOf(':');
  if (lastColon === -1) return { host: address, port: defaultPort };
  const port = Number(address.slice(lastColon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DsnError(`"${address.slice(lastColon + 1)}" is not a port number`);
  }
  return { host: address.slice(0, lastColon), port };
}

export function parsePostgresDsn(dsn: string): PostgresConnection {
  const trimmed = dsn.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new DsnError('the PostgreSQL URL cannot be parsed');
    }
    return { connectionString: trimmed };
  }
  return parseKeywordDsn(trimmed);
}

/**
 * libpq's sslmode in pg's terms. pg cannot fall back from TLS as libpq's default "prefer" does, so
 * only the modes that demand TLS turn it on; "require" encrypts without checking the certificate.
 */
function sslOption(sslmode: string | undefined): PostgresConnection['ssl'] {
  if (sslmode === 'require') return { rejectUnauthorized: false };
  return sslmode === 'verify-ca' || sslmode === 'verify-full';
}

/** libpq's `key=value key='quoted value'` form, which pg's connection strings do not accept. */
function parseKeywordDsn(dsn: string): PostgresConnection {
  const pairs = new Map<string, string>();
  const pattern = /(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/g;
  for (const match of dsn.matchAll(pattern)) {
    const key = match[1] ?? '';
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    pairs.set(key.toLowerCase(), value);
  }
  if (!pairs.has('dbname')) throw new DsnError('the PostgreSQL DSN names no dbname');
  const port = pairs.get('port');
  if (port !== undefined && !/^\d+$/.test(port)) throw new DsnError(`"${port}" is not a port number`);
  const sslmode = pairs.get('sslmode');
  return {
    host: pairs.get('host') ?? '127.0.0.1',
    port: port ? Number(port) : 5432,
    user: pairs.get('user'),
    password: pairs.get('password'),
    database: pairs.get('dbname'),
    ssl: sslOption(sslmode),
  };
}
