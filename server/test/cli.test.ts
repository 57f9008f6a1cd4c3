import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_JS } from './helpers/app.js';

const ROOT_PACKAGE = new URL('../../package.json', import.meta.url);
const VERSION = (JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as { version: string }).version;
const STACK_FRAME = /^\s+at .+/m;

let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ga-cli-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A clean environment: nothing from the developer's shell (LOG_LEVEL, SQL_DSN, REDIS_…) leaks in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    SQLITE_PATH: path.join(tmp, 'cli.db'),
    ...extra,
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN_JS, ...args],
      { cwd: tmp, env: cleanEnv(env), timeout: 10_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

describe('command line', () => {
  it('--version prints the version from the root package.json and exits 0', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
    expect(result.stderr).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gateway-aggregator/);
    expect(result.stdout).toContain('--port');
    expect(result.stdout).toContain('--log-dir');
    // Neither prints nor starts anything else: no database file was created.
    expect(existsSync(path.join(tmp, 'cli.db'))).toBe(false);
  });

  it('--bogus exits non-zero, names the flag and shows the usage', async () => {
    const result = await run(['--bogus']);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain('--bogus');
    expect(result.stderr).toContain('Usage: gateway-aggregator');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('PORT=abc exits non-zero quickly, naming PORT and what is allowed, without a stack trace', async () => {
    const result = await run([], { PORT: 'abc' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.ms).toBeLessThan(5000);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('"abc"');
    expect(result.stderr).toMatch(/1 to 65535/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).toBe('');
  });

  it('--port 0 is refused: the port must be 1-65535', async () => {
    const result = await run(['--port', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).toMatch(/1 to 65535/);
  });

  it('SQL_DRIVER=mysql without SQL_DSN names SQL_DSN', async () => {
    const result = await run([], { SQL_DRIVER: 'mysql' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain('SQL_DSN');
    expect(result.stderr).toContain('SQL_DRIVER=mysql');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});

/** A port that was free a moment ago: listen on 0, read it, close. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    cwd: tmp,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitUntilReady(base: string, server: Started): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`the server exited early:\n${server.output()}`);
    try {
      return await fetch(`${base}/api/status`, { signal: AbortSignal.timeout(1000) });
    } catch {
      if (Date.now() > deadline) throw new Error(`the server never answered:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function waitForFile(file: string, text: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (content.includes(text)) return content;
    if (Date.now() > deadline) throw new Error(`${file} never contained "${text}"; it holds:\n${content}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(server: Started): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  server.child.kill('SIGTERM');
  const timeout = new Promise<never>((_resolve, reject) =>
    setTimeout(() => reject(new Error(`no exit within 5 s after SIGTERM:\n${server.output()}`)), 5000).unref(),
  );
  return Promise.race([server.exited, timeout]);
}

async function login(base: string, password: string): Promise<Response> {
  return fetch(`${base}/api/user/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'root', password }),
  });
}

describe('a real start', () => {
  const running: Started[] = [];
  afterEach(() => {
    for (const server of running.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('serves, logs to --log-dir, stops cleanly on SIGTERM and restarts on the same database', async () => {
    const dbPath = path.join(tmp, 'real.db');
    const logDir = path.join(tmp, 'logs');
    const env = { SQLITE_PATH: dbPath, LOGIN_RATE_LIMIT: '0' };

    // First start: a fresh database.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = start(['--port', String(port), '--log-dir', logDir], env);
    running.push(first);
    const status = await waitUntilReady(base, first);
    expect(status.status).toBe(200);
    const body = (await status.json()) as { success: boolean; data: { version: string } };
    expect(body.success).toBe(true);
    expect(body.data.version).toBe(VERSION);

    const log = await waitForFile(path.join(logDir, 'gateway-aggregator.log'), 'default password 123456');
    expect(log).toContain(`listening on 127.0.0.1:${port}`);

    const firstLogin = await login(base, '123456');
    expect(firstLogin.status).toBe(200);
    const cookie = firstLogin.headers
      .getSetCookie()
      .find((c) => c.startsWith('session='))
      ?.split(';')[0];
    expect(cookie).toBeDefined();

    const firstExit = await stop(first);
    expect(firstExit).toEqual({ code: 0, signal: null });
    // The file destination is asynchronous; the last line must still reach it before exit.
    expect(readFileSync(path.join(logDir, 'gateway-aggregator.log'), 'utf8')).toContain('SIGTERM received');
    expect(existsSync(dbPath)).toBe(true);

    // Second start on the same SQLite file: migrations and root already there.
    const port2 = await freePort();
    const base2 = `http://127.0.0.1:${port2}`;
    const second = start(['--port', String(port2)], env);
    running.push(second);
    expect((await waitUntilReady(base2, second)).status).toBe(200);

    expect((await login(base2, '123456')).status).toBe(200);
    expect((await login(base2, 'wrong-password')).status).not.toBe(200);
    // The session secret was kept in the database, so the first run's session still works, and
    // the root account was not recreated: there is exactly one user.
    const users = await fetch(`${base2}/api/user/`, { headers: { cookie: cookie! } });
    expect(users.status).toBe(200);
    const list = (await users.json()) as { success: boolean; data: { total: number; items: { username: string }[] } };
    expect(list.success).toBe(true);
    expect(list.data.total).toBe(1);
    expect(list.data.items.map((user) => user.username)).toEqual(['root']);

    // A third process on a port that is taken says so and exits, without a stack trace.
    const clash = await run(['--port', String(port2)], env);
    expect(clash.code).toBe(1);
    expect(clash.stdout + clash.stderr).toContain(`cannot listen on 127.0.0.1:${port2}`);
    expect(clash.stdout + clash.stderr).toContain('EADDRINUSE');
    expect(clash.stderr).not.toMatch(STACK_FRAME);

    expect(await stop(second)).toEqual({ code: 0, signal: null });
  });
});
