import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNewApi } from '../fake-newapi/index.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import type { GatewayProcess } from '../helpers/process.js';
import { Fleet, call, chat, login, within } from './fleet.js';

/** A relay call on a connection of its own, so the cluster's round robin can hand it to either worker. */
function relayOnFreshConnection(gateway: GatewayProcess, key: string): Promise<number> {
  const body = JSON.stringify(chat('gpt-4o-mini'));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: gateway.port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const workersOf = (gateway: GatewayProcess) =>
  execFileSync('pgrep', ['-P', String(gateway.child.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);

describe('--workers 2 on SQLite', () => {
  let database: TestDatabase;
  let fleet: Fleet;
  let gateway: GatewayProcess;
  let fake: FakeNewApi;
  let cookie: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    fake = await FakeNewApi.start();
    fleet = new Fleet(database, { WORKERS: '2', REDIS_CONN_STRING: '' });
    [gateway] = (await fleet.start(1)) as [GatewayProcess];
    await within(10_000, () => Promise.resolve(workersOf(gateway).length === 2), 'two workers');
    cookie = await login(gateway);
    const created = await call(gateway, 'POST', '/api/provider/', {
      cookie,
      body: { name: 'p', base_url: fake.url, access_token: fake.state.accessToken, user_id: fake.state.userId },
    });
    expect(created.status, created.text).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    await fake?.close();
    await database?.drop();
  });

  it('serves on both workers a token made on one, and refuses it on both within 1 s of its revocation', async () => {
    const token = await call<{ id: number; key: string }>(gateway, 'POST', '/api/agg-token/', {
      cookie,
      body: { name: 'w' },
    });
    // Ten fresh connections in a row land on both workers: all must know the token.
    const allAre = async (status: number) =>
      (await Promise.all(Array.from({ length: 10 }, () => relayOnFreshConnection(gateway, token.data.key)))).every(
        (s) => s === status,
      );
    await within(2000, () => allAre(200), 'both workers serve the token');
    expect((await call(gateway, 'DELETE', `/api/agg-token/${token.data.id}`, { cookie })).status).toBe(200);
    expect(await within(1000, () => allAre(401), 'both workers refuse the revoked token')).toBeLessThan(1000);
  });

  it('answers /metrics for the whole host, whichever worker takes the scrape', async () => {
    const token = await call<{ key: string }>(gateway, 'POST', '/api/agg-token/', { cookie, body: { name: 'm' } });
    await within(2000, async () => (await relayOnFreshConnection(gateway, token.data.key)) === 200, 'token known');
    const served = async () => {
      const text = (await call(gateway, 'GET', '/metrics')).text;
      const leaders = /^gateway_jobs_leader (\d+)$/m.exec(text)?.[1];
      const requests = [...text.matchAll(/^gateway_relay_requests_total\{[^}]*status="200"[^}]*\} (\d+)$/gm)];
      return { leaders: Number(leaders), ok: requests.reduce((sum, match) => sum + Number(match[1]), 0) };
    };
    const before = await served();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => relayOnFreshConnection(gateway, token.data.key)),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    // Each worker served some of the ten; a worker answering only for itself would show fewer.
    expect(await served()).toEqual({ leaders: 1, ok: before.ok + 10 });
    // What every worker reads from the shared database is shown once, not once per worker.
    const providers = await call<{ items: Array<{ balance_usd: number }> }>(gateway, 'GET', '/api/provider/', {
      cookie,
    });
    const balance = providers.data.items[0]!.balance_usd;
    expect(balance).toBeGreaterThan(0);
    const scraped = /^gateway_provider_balance_usd\{provider="p"\} (\S+)$/m.exec(
      (await call(gateway, 'GET', '/metrics')).text,
    );
    expect(Number(scraped?.[1])).toBeCloseTo(balance, 6);
  });

  it('runs a due scheduled sync on one worker only', async () => {
    const pricingCalls = () => fake.requestsTo('GET', '/api/pricing').length;
    const before = pricingCalls();
    const db = openTestDatabase(database);
    try {
      const past = String(Math.floor(Date.now() / 1000) - 3600);
      await db.updateTable('cluster_marks').set({ value: past }).where('name', '=', 'job:sync').execute();
    } finally {
      await db.destroy();
    }
    await within(5000, () => Promise.resolve(pricingCalls() > before), 'the scheduled sync ran');
    await new Promise((resolve) => setTimeout(resolve, 2500)); // two more ticks on both workers
    expect(pricingCalls()).toBe(before + 1);
  });

  it('replaces a worker that dies, and on SIGTERM writes every usage record the workers handed over', async () => {
    const token = await call<{ id: number; key: string }>(gateway, 'POST', '/api/agg-token/', {
      cookie,
      body: { name: 'usage' },
    });
    await within(2000, async () => (await relayOnFreshConnection(gateway, token.data.key)) === 200, 'token known');
    const [victim] = workersOf(gateway) as [string];
    process.kill(Number(victim), 'SIGKILL');
    await within(
      10_000,
      () => Promise.resolve(workersOf(gateway).length === 2 && !workersOf(gateway).includes(victim)),
      'a new worker',
    );
    let served = 0;
    await within(5000, async () => (await relayOnFreshConnection(gateway, token.data.key)) === 200, 'serving');
    served++;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => relayOnFreshConnection(gateway, token.data.key)),
    );
    served += statuses.filter((s) => s === 200).length;
    expect(statuses.every((s) => s === 200)).toBe(true);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    const db = openTestDatabase(database);
    try {
      const rows = await db
        .selectFrom('usage_logs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('aggregated_token_id', '=', token.data.id)
        .where('final', '=', 1)
        .executeTakeFirstOrThrow();
      // The record of the first call may have died with the killed worker; every later one is there.
      expect(Number(rows.n)).toBeGreaterThanOrEqual(served);
      expect(Number(rows.n)).toBeLessThanOrEqual(served + 1);
    } finally {
      await db.destroy();
    }
  });
});

describe('separate processes without Redis', () => {
  let database: TestDatabase;
  let fleet: Fleet;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    fleet = new Fleet(database, { REDIS_CONN_STRING: '', CHANGE_CHECK_SECONDS: '1' });
    await fleet.start(2);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    await database?.drop();
  });

  it('catch up with each other through the database version check', async () => {
    const [a, b] = fleet.processes as [GatewayProcess, GatewayProcess];
    const cookie = await login(a);
    const token = await call<{ id: number; key: string }>(a, 'POST', '/api/agg-token/', {
      cookie,
      body: { name: 'x' },
    });
    // No provider: a known token is refused for the model (503/404), an unknown one with 401.
    const knownOnB = async () => (await relayOnFreshConnection(b, token.data.key)) !== 401;
    await within(3000, knownOnB, 'B learns of the token');
    expect((await call(a, 'DELETE', `/api/agg-token/${token.data.id}`, { cookie })).status).toBe(200);
    await within(3000, async () => !(await knownOnB()), 'B learns of the revocation');
  });
});
