import { describe, expect, it } from 'vitest';
import { DsnError, detectDriver, looksLikePostgres, parseDriverName, parseMysqlDsn, parsePostgresDsn } from './dsn.js';

describe('detectDriver', () => {
  it('picks SQLite when there is no DSN', () => {
    expect(detectDriver(undefined)).toBe('sqlite');
    expect(detectDriver('')).toBe('sqlite');
  });

  it.each([
    'postgres://u:p@db:5432/app',
    'postgresql://u:p@db/app?sslmode=require',
    'POSTGRES://u@db/app',
    '  postgresql://db/app  ',
    'dbname=app user=gateway',
    "host=db port=5432 user=gateway password='s e c' dbname=app sslmode=disable",
  ])('picks PostgreSQL for %j', (dsn) => {
    expect(looksLikePostgres(dsn)).toBe(true);
    expect(detectDriver(dsn)).toBe('postgres');
  });

  it.each([
    'mysql://u:p@db:3306/app',
    'u:p@tcp(db:3306)/app?parseTime=true',
    '/app',
    // Without dbname= a keyword string is not PostgreSQL's form.
    'user=gateway',
    // A "postgres" substring elsewhere is not the scheme.
    'u:p@tcp(postgres:3306)/app',
    'xpostgres://db/app',
  ])('picks MySQL for anything else: %j', (dsn) => {
    expect(detectDriver(dsn)).toBe('mysql');
  });
});

describe('parseDriverName', () => {
  it.each([
    ['sqlite', 'sqlite'],
    ['sqlite3', 'sqlite'],
    ['mysql', 'mysql'],
    ['mariadb', 'mysql'],
    ['postgres', 'postgres'],
    ['postgresql', 'postgres'],
    ['pg', 'postgres'],
    [' MySQL ', 'mysql'],
    ['PostgreSQL', 'postgres'],
  ])('%j means %s', (name, driver) => {
    expect(parseDriverName(name)).toBe(driver);
  });

  it.each(['oracle', 'mssql', '', 'my sql', 'sqlite4'])('%j is no driver', (name) => {
    expect(parseDriverName(name)).toBeUndefined();
  });
});

describe('parseMysqlDsn, URL form', () => {
  it('reads host, port, user, password and database', () => {
    expect(parseMysqlDsn('mysql://gateway:secret@db.internal:3307/aggregator')).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'gateway',
      password: 'secret',
      database: 'aggregator',
    });
  });

  it('decodes a percent-encoded user, password and database', () => {
    expect(parseMysqlDsn('mysql://g%40w:p%40ss%3Aw%2Frd%25@db/my%20db')).toEqual({
      host: 'db',
      port: 3306,
      user: 'g@w',
      password: 'p@ss:w/rd%',
      database: 'my db',
    });
  });

  it('accepts mariadb:// and ignores query parameters', () => {
    expect(parseMysqlDsn('MariaDB://u@db/app?charset=utf8mb4')).toEqual({
      host: 'db',
      port: 3306,
      user: 'u',
      password: '',
      database: 'app',
    });
  });

  it('refuses a URL without a database', () => {
    expect(() => parseMysqlDsn('mysql://u:p@db:3306/')).toThrow(DsnError);
    expect(() => parseMysqlDsn('mysql://u:p@db:3306')).toThrow(/names no database/);
  });

  it('refuses a URL that cannot be parsed', () => {
    expect(() => parseMysqlDsn('mysql://u:p@db:notaport/app')).toThrow(DsnError);
  });
});

describe('parseMysqlDsn, Go driver form', () => {
  it('reads user:pass@tcp(host:port)/db?params', () => {
    expect(parseMysqlDsn('gateway:secret@tcp(db.internal:3306)/aggregator?parseTime=true&charset=utf8mb4')).toEqual({
      host: 'db.internal',
      port: 3306,
      user: 'gateway',
      password: 'secret',
      database: 'aggregator',
    });
  });

  it('defaults the port to 3306 and the password to empty', () => {
    expect(parseMysqlDsn('gateway@tcp(db)/aggregator')).toEqual({
      host: 'db',
      port: 3306,
      user: 'gateway',
      password: '',
      database: 'aggregator',
    });
  });

  it('splits at the last @, so the password may contain @, : and / (as the Go driver does)', () => {
    expect(parseMysqlDsn('gateway:p@ss:w/rd@tcp(db:3306)/aggregator')).toEqual({
      host: 'db',
      port: 3306,
      user: 'gateway',
      password: 'p@ss:w/rd',
      database: 'aggregator',
    });
  });

  it('keeps a / inside the query parameters out of the database name', () => {
    expect(parseMysqlDsn('u:p@tcp(db:3306)/app?loc=Asia/Shanghai&parseTime=true')).toMatchObject({
      database: 'app',
      host: 'db',
    });
  });

  it('reads a Unix socket address', () => {
    expect(parseMysqlDsn('gateway:secret@unix(/run/mysqld/mysqld.sock)/aggregator')).toEqual({
      socketPath: '/run/mysqld/mysqld.sock',
      user: 'gateway',
      password: 'secret',
      database: 'aggregator',
    });
  });

  it('defaults the address to 127.0.0.1:3306 when none is given', () => {
    expect(parseMysqlDsn('gateway:secret@/aggregator')).toEqual({
      host: '127.0.0.1',
      port: 3306,
      user: 'gateway',
      password: 'secret',
      database: 'aggregator',
    });
  });

  it('reads a bracketed IPv6 address with and without a port', () => {
    expect(parseMysqlDsn('u:p@tcp([::1]:3307)/app')).toMatchObject({ host: '::1', port: 3307 });
    expect(parseMysqlDsn('u:p@tcp([fd00::12])/app')).toMatchObject({ host: 'fd00::12', port: 3306 });
  });

  it.each(['u:p@tcp(db:3306)/', 'u:p@tcp(db:3306)/?parseTime=true', 'u:p@/'])('refuses %j: no database', (dsn) => {
    expect(() => parseMysqlDsn(dsn)).toThrow(DsnError);
    expect(() => parseMysqlDsn(dsn)).toThrow(/names no database/);
  });

  it.each(['u:p@tcp(db:abc)/app', 'u:p@tcp(db:0)/app', 'u:p@tcp(db:65536)/app'])('refuses %j: bad port', (dsn) => {
    expect(() => parseMysqlDsn(dsn)).toThrow(DsnError);
    expect(() => parseMysqlDsn(dsn)).toThrow(/is not a port number/);
  });

  it.each(['garbage', 'db.internal:3306', 'u:p@udp(db)/app', 'u:p@tcp(db:3306)app', 'host=db dbname=app'])(
    'refuses garbage %j and says which forms are accepted',
    (dsn) => {
      expect(() => parseMysqlDsn(dsn)).toThrow(DsnError);
      expect(() => parseMysqlDsn(dsn)).toThrow(/mysql:\/\/user:pass@host:3306\/db.*user:pass@tcp\(host:3306\)\/db/);
    },
  );
});

describe('parsePostgresDsn', () => {
  it('passes a URL through as the connection string', () => {
    const url = 'postgresql://gateway:secret@db:5432/aggregator?sslmode=require';
    expect(parsePostgresDsn(`  ${url} `)).toEqual({ connectionString: url });
  });

  it('refuses a URL that cannot be parsed', () => {
    expect(() => parsePostgresDsn('postgres://db:notaport/app')).toThrow(DsnError);
  });

  it('reads the keyword form with quoted values, port and sslmode', () => {
    expect(
      parsePostgresDsn(
        "host=db.internal port=6432 user=gateway password='it\\'s a secret' dbname='aggregator main' sslmode=require",
      ),
    ).toEqual({
      host: 'db.internal',
      port: 6432,
      user: 'gateway',
      password: "it's a secret",
      database: 'aggregator main',
      // libpq's "require" encrypts but does not check the certificate.
      ssl: { rejectUnauthorized: false },
    });
  });

  it('does not let a quoted value hide or fake another keyword', () => {
    expect(parsePostgresDsn("password='x dbname=evil' dbname=real user=u")).toMatchObject({
      password: 'x dbname=evil',
      database: 'real',
      user: 'u',
    });
  });

  it('defaults host, port and ssl', () => {
    expect(parsePostgresDsn('dbname=app user=gateway')).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'gateway',
      password: undefined,
      database: 'app',
      ssl: false,
    });
  });

  it.each([
    ['disable', false],
    ['allow', false],
    ['prefer', false],
    ['require', { rejectUnauthorized: false }],
    ['verify-ca', true],
    ['verify-full', true],
  ])('sslmode=%s means ssl %s', (mode, ssl) => {
    expect(parsePostgresDsn(`dbname=app user=u sslmode=${mode}`).ssl).toEqual(ssl);
  });

  it('detects the keyword form by its dbname, with or without user', () => {
    expect(detectDriver('host=db dbname=app')).toBe('postgres');
    expect(detectDriver('dbname=app')).toBe('postgres');
  });

  it('detects the keyword form with spaces around "="', () => {
    expect(detectDriver('host=h dbname = d user = u')).toBe('postgres');
    expect(parsePostgresDsn('host=h dbname = d user = u')).toMatchObject({ host: 'h', database: 'd', user: 'u' });
  });

  it('refuses a keyword DSN without dbname', () => {
    expect(() => parsePostgresDsn('host=db user=gateway')).toThrow(DsnError);
    expect(() => parsePostgresDsn('host=db user=gateway')).toThrow(/dbname/);
  });

  it('refuses a non-numeric port', () => {
    expect(() => parsePostgresDsn('dbname=app user=u port=five')).toThrow(DsnError);
    expect(() => parsePostgresDsn('dbname=app user=u port=five')).toThrow(/"five" is not a port number/);
  });
});

describe('parseMysqlDsn, edge cases', () => {
  it('strips the brackets from an IPv6 host in URL form, as the Go form does', () => {
    expect(parseMysqlDsn('mysql://u:p@[::1]:3307/app')).toMatchObject({ host: '::1', port: 3307 });
  });

  it('reports malformed percent-encoding as a DsnError, not a URIError', () => {
    expect(() => parseMysqlDsn('mysql://u:%zz@db/app')).toThrow(DsnError);
  });
});

describe('parseMysqlDsn, TLS parameters', () => {
  it.each([
    ['user:pw@tcp(db:3306)/app?tls=true&charset=utf8mb4', { rejectUnauthorized: true }],
    ['user:pw@tcp(db:3306)/app?parseTime=True&tls=skip-verify', { rejectUnauthorized: false }],
    ['mysql://user:pw@db/app?ssl-mode=VERIFY_IDENTITY', { rejectUnauthorized: true }],
    ['mysql://user:pw@db/app?ssl-mode=required', { rejectUnauthorized: false }],
  ])('turns %s into TLS %j', (dsn, ssl) => {
    expect(parseMysqlDsn(dsn).ssl).toEqual(ssl);
  });

  it.each([
    'user:pw@tcp(db:3306)/app?tls=false',
    'user:pw@tcp(db)/app?tls=preferred',
    'mysql://u@db/app?ssl-mode=DISABLED',
  ])('connects in plain text for %s', (dsn) => {
    expect(parseMysqlDsn(dsn)).not.toHaveProperty('ssl');
  });

  it('refuses a TLS setting it does not know, naming the ones it does', () => {
    expect(() => parseMysqlDsn('user:pw@tcp(db)/app?tls=custom-profile')).toThrow(/tls=true, tls=skip-verify/);
  });
});
