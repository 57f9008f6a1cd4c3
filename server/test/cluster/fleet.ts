import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import type { TestDatabase } from '../helpers/databases.js';

/** Several gateway processes on one database and one Redis, as a fleet behind a load balancer would run. */
export class Fleet {
  readonly processes: GatewayProcess[] = [];
  private readonly workDir = mkdtempSync(path.join(tmpdir(), 'ga-fleet-'));
  readonly env: Record<string, string>;

  constructor(database: TestDatabase, extraEnv: Record<string, string> = {}) {
    this.env = {
      ...database.env,
      REDIS_CONN_STRING: REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix('fleet'),
      LEADER_LEASE_SECONDS: '2',
      SCHEDULER_TICK_SECONDS: '1',
      // Long, so that a change seen within a second proves the announcement, not the periodic check.
      CHANGE_CHECK_SECONDS: '60',
      LOGIN_RATE_LIMIT: '0',
      METRICS_ENABLED: 'true',
      ...extraEnv,
    };
  }

  async start(count: number): Promise<GatewayProcess[]> {
    const started = await Promise.all(Array.from({ length: count }, () => startGatewayProcess(this.env, this.workDir)));
    this.processes.push(...started);
    return started;
  }

  alive(): GatewayProcess[] {
    return this.processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  }

  async stop(): Promise<void> {
    for (const p of this.alive()) p.child.kill('SIGTERM');
    await Promise.all(this.processes.map((p) => p.exited));
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export const urlOf = (p: GatewayProcess, pathname: string) => `http://127.0.0.1:${p.port}${pathname}`;

/** One HTTP call; `data` is the envelope's data (the admin API's), `text` the raw body. */
export async function call<T = unknown>(
  p: GatewayProcess,
  method: string,
  pathname: string,
  options: { cookie?: string; body?: unknown; bearer?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; data: T }> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(urlOf(p, pathname), {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    // not JSON (metrics): the caller reads `text`
  }
  return { status: response.status, headers: response.headers, text, data: data as T };
}

export async function login(p: GatewayProcess): Promise<string> {
  const response = await fetch(urlOf(p, '/api/user/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'root', password: '123456' }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** Whether this process says it holds the jobs lease, from its /metrics. */
export async function isLeader(p: GatewayProcess): Promise<boolean> {
  const text = await (await fetch(urlOf(p, '/metrics'))).text();
  return /^gateway_jobs_leader 1$/m.test(text);
}

/** Polls until `check` holds, and returns how long it took; fails after `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

export const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello' }] });
