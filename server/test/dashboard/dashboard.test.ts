import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageLogsTable } from '../../src/db/schema.js';
import { DashboardQueries } from '../../src/repos/dashboard-queries.js';
import { DashboardService, type DashboardWindow } from '../../src/services/dashboard.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';

const H = 3600;
const D = 86_400;
/** A fixed clock: 05:30 local time, so "today" is five and a half hours long in any time zone. */
const T0 = new Date(2025, 0, 15).getTime() / 1000;
const NOW = new Date(2025, 0, 15, 5, 30).getTime() / 1000;
/** Failing-route rows live ten days later, out of every window that ends at NOW. */
const NOW2 = NOW + 10 * D;
/** Rows for the top-10 limits, past everything else. */
const NOW3 = NOW + 40 * D;
const MISSING_TOKEN = 999;

type LogRow = Insertable<UsageLogsTable>;

describeEachDatabase('admin dashboard', (database) => {
  let app: TestApp;
  let rootCookie: string;
  let p1: number;
  let p2: number;
  let root: number;
  let alice: number;
  let tokenA: number;

  const insertLogs = async (rows: Array<Omit<LogRow, 'error_message'> & { error_message?: string }>) => {
    for (const row of rows) {
      await app.db
        .insertInto('usage_logs')
        .values({ error_message: '', ...row })
        .execute();
    }
  };

  const dashboardAt = (now: number, window: DashboardWindow) =>
    new DashboardService({ queries: new DashboardQueries(app.db), now: () => now }).overview(window);

  beforeAll(async () => {
    app = await startTestApp(database());
    rootCookie = await app.login('root', '123456');
    const provider = { base_url: 'http://x.invalid', access_token: 'secret', last_checkin_result: '' };
    const more = { last_sync_result: '', group_ratios: '{}', auto_groups: '[]', remark: '' };
    await app.db
      .insertInto('providers')
      .values({ ...provider, ...more, name: 'alpha', status: 1, balance_usd: 12.5, balance_updated_at: 1_700_000_000 })
      .execute();
    await app.db
      .insertInto('providers')
      .values({ ...provider, ...more, name: 'beta', status: 2, balance_usd: null })
      .execute();
    const ids = await app.db.selectFrom('providers').select(['id', 'name']).orderBy('id').execute();
    [p1, p2] = ids.map((row) => row.id) as [number, number];
    await app.db
      .insertInto('users')
      .values({ username: 'alice', password_hash: 'x', access_token_hash: null })
      .execute();
    const users = await app.db.selectFrom('users').select(['id', 'username']).orderBy('id').execute();
    root = users.find((u) => u.username === 'root')!.id;
    alice = users.find((u) => u.username === 'alice')!.id;
    await app.db
      .insertInto('aggregated_tokens')
      .values({ user_id: alice, key: 'dash-a', name: 'tok-a', model_limits: '', allow_ips: '' })
      .execute();
    tokenA = (await app.db.selectFrom('aggregated_tokens').select('id').executeTakeFirstOrThrow()).id;

    const a = { aggregated_token_id: tokenA, user_id: alice };
    const r = { aggregated_token_id: MISSING_TOKEN, user_id: root };
    const alpha = { provider_id: p1, provider_name: 'alpha' };
    const beta = { provider_id: p2, provider_name: 'beta' };
    await insertLogs([
      // today: two requests on gpt-4o (one after a failover from beta), two failed on claude
      {
        request_id: 'r1',
        created_at: T0,
        final: 1,
        status: 1,
        ...alpha,
        route_id: 11,
        model_name: 'gpt-4o',
        ...a,
        prompt_tokens: 10,
        completion_tokens: 20,
        total_tokens: 30,
        cost_usd: 0.1,
        latency_ms: 100,
        attempt: 1,
      },
      {
        request_id: 'r2',
        created_at: T0 + H + 10,
        final: 0,
        status: 0,
        ...beta,
        route_id: 21,
        model_name: 'gpt-4o',
        ...a,
        latency_ms: 50,
        attempt: 1,
        error_message: 'bad gateway',
      },
      {
        request_id: 'r2',
        created_at: T0 + H + 10,
        final: 1,
        status: 1,
        ...alpha,
        route_id: 12,
        model_name: 'gpt-4o',
        ...a,
        prompt_tokens: 5,
        completion_tokens: 5,
        total_tokens: 10,
        cost_usd: 0.2,
        latency_ms: 300,
        attempt: 2,
      },
      {
        request_id: 'r3',
        created_at: T0 + 3 * H,
        final: 1,
        status: 0,
        ...beta,
        route_id: 21,
        model_name: 'claude',
        ...r,
        latency_ms: 70,
        attempt: 1,
        error_message: 'overloaded',
      },
      {
        request_id: 'r4',
        created_at: T0 + 4 * H + 59,
        final: 1,
        status: 0,
        provider_id: 0,
        route_id: 0,
        model_name: 'claude',
        ...r,
        attempt: 1,
        error_message: 'no route',
      },
      // exactly at the end: outside every window
      {
        request_id: 'r5',
        created_at: NOW,
        final: 1,
        status: 1,
        ...alpha,
        route_id: 11,
        model_name: 'gpt-4o',
        ...a,
        total_tokens: 1000,
        cost_usd: 5,
        latency_ms: 1,
      },
      // yesterday, last second
      {
        request_id: 'r6',
        created_at: T0 - 1,
        final: 1,
        status: 1,
        ...alpha,
        route_id: 11,
        model_name: 'gpt-4o',
        ...a,
        prompt_tokens: 100,
        completion_tokens: 100,
        total_tokens: 200,
        cost_usd: 1.0,
        latency_ms: 201,
      },
      // exactly at the 7-day start (in), one second before it (out of 7d, in 30d)
      {
        request_id: 'r7',
        created_at: NOW - 7 * D,
        final: 1,
        status: 1,
        ...beta,
        route_id: 22,
        model_name: 'claude',
        ...r,
        prompt_tokens: 40,
        total_tokens: 40,
        cost_usd: 0.4,
        latency_ms: 400,
      },
      {
        request_id: 'r8',
        created_at: NOW - 7 * D - 1,
        final: 1,
        status: 0,
        ...beta,
        route_id: 22,
        model_name: 'claude',
        ...r,
        latency_ms: 10,
        error_message: 'x',
      },
      // 20 days ago, under the provider's former name
      {
        request_id: 'r9',
        created_at: NOW - 20 * D,
        final: 1,
        status: 1,
        provider_id: p1,
        provider_name: 'alpha-old',
        route_id: 11,
        model_name: 'gpt-4o',
        ...a,
        prompt_tokens: 30,
        completion_tokens: 30,
        total_tokens: 60,
        cost_usd: 0.6,
        latency_ms: 600,
      },
      // two days ago: a failover inside beta
      {
        request_id: 'r10',
        created_at: NOW - 2 * D,
        final: 0,
        status: 0,
        ...beta,
        route_id: 22,
        model_name: 'claude',
        ...r,
        latency_ms: 30,
        attempt: 1,
        error_message: 'timeout',
      },
      {
        request_id: 'r10',
        created_at: NOW - 2 * D,
        final: 1,
        status: 1,
        ...beta,
        route_id: 21,
        model_name: 'claude',
        ...r,
        prompt_tokens: 10,
        completion_tokens: 10,
        total_tokens: 20,
        cost_usd: 0.05,
        latency_ms: 500,
        attempt: 2,
      },
    ]);
  });
  afterAll(() => app.close());

  const balances = () => [
    { id: p1, name: 'alpha', status: 1, balance_usd: 12.5, balance_updated_at: 1_700_000_000 },
    { id: p2, name: 'beta', status: 2, balance_usd: null, balance_updated_at: 0 },
  ];
  const zero = (time: number) => ({ time, requests: 0, errors: 0, tokens: 0, cost_usd: 0 });

  it('today: hourly from local midnight, the start included and the end excluded', async () => {
    expect(await dashboardAt(NOW, 'today')).toEqual({
      window: 'today',
      start_time: T0,
      end_time: NOW,
      bucket: 'hour',
      totals: {
        requests: 4,
        successes: 2,
        errors: 2,
        success_rate: 0.5,
        prompt_tokens: 15,
        completion_tokens: 25,
        total_tokens: 40,
        cost_usd: 0.3,
        avg_latency_ms: 200,
        attempts: 5,
        failovers: 1,
      },
      by_provider: [
        {
          provider_id: p1,
          provider_name: 'alpha',
          attempts: 2,
          errors: 0,
          error_rate: 0,
          tokens: 40,
          cost_usd: 0.3,
          avg_latency_ms: 200,
        },
        {
          provider_id: p2,
          provider_name: 'beta',
          attempts: 2,
          errors: 2,
          error_rate: 1,
          tokens: 0,
          cost_usd: 0,
          avg_latency_ms: 0,
        },
      ],
      by_model: [
        { model_name: 'claude', requests: 2, errors: 2, tokens: 0, cost_usd: 0, avg_latency_ms: 0 },
        { model_name: 'gpt-4o', requests: 2, errors: 0, tokens: 40, cost_usd: 0.3, avg_latency_ms: 200 },
      ],
      series: [
        { time: T0, requests: 1, errors: 0, tokens: 30, cost_usd: 0.1 },
        { time: T0 + H, requests: 1, errors: 0, tokens: 10, cost_usd: 0.2 },
        zero(T0 + 2 * H),
        { time: T0 + 3 * H, requests: 1, errors: 1, tokens: 0, cost_usd: 0 },
        { time: T0 + 4 * H, requests: 1, errors: 1, tokens: 0, cost_usd: 0 },
        zero(T0 + 5 * H),
      ],
      top_tokens: [
        { aggregated_token_id: tokenA, name: 'tok-a', user_id: alice, requests: 2, tokens: 40, cost_usd: 0.3 },
        { aggregated_token_id: MISSING_TOKEN, name: '', user_id: root, requests: 2, tokens: 0, cost_usd: 0 },
      ],
      top_users: [
        { user_id: root, username: 'root', requests: 2, tokens: 0, cost_usd: 0 },
        { user_id: alice, username: 'alice', requests: 2, tokens: 40, cost_usd: 0.3 },
      ],
      provider_balances: balances(),
      failing_routes: [],
    });
  });

  it('7d: daily buckets of 24 h ending now, empty days as zeros, two failovers', async () => {
    const start = NOW - 7 * D;
    const dashboard = await dashboardAt(NOW, '7d');
    expect(dashboard).toMatchObject({ window: '7d', start_time: start, end_time: NOW, bucket: 'day' });
    expect(dashboard.totals).toEqual({
      requests: 7,
      successes: 5,
      errors: 2,
      success_rate: 0.7143,
      prompt_tokens: 165,
      completion_tokens: 135,
      total_tokens: 300,
      cost_usd: 1.75,
      avg_latency_ms: 300.2,
      attempts: 9,
      failovers: 2,
    });
    expect(dashboard.by_provider).toEqual([
      {
        provider_id: p2,
        provider_name: 'beta',
        attempts: 5,
        errors: 3,
        error_rate: 0.6,
        tokens: 60,
        cost_usd: 0.45,
        avg_latency_ms: 450,
      },
      {
        provider_id: p1,
        provider_name: 'alpha',
        attempts: 3,
        errors: 0,
        error_rate: 0,
        tokens: 240,
        cost_usd: 1.3,
        avg_latency_ms: 200.3,
      },
    ]);
    expect(dashboard.by_model).toEqual([
      { model_name: 'claude', requests: 4, errors: 2, tokens: 60, cost_usd: 0.45, avg_latency_ms: 450 },
      { model_name: 'gpt-4o', requests: 3, errors: 0, tokens: 240, cost_usd: 1.3, avg_latency_ms: 200.3 },
    ]);
    expect(dashboard.series).toEqual([
      { time: start, requests: 1, errors: 0, tokens: 40, cost_usd: 0.4 },
      zero(start + D),
      zero(start + 2 * D),
      zero(start + 3 * D),
      zero(start + 4 * D),
      { time: start + 5 * D, requests: 1, errors: 0, tokens: 20, cost_usd: 0.05 },
      { time: start + 6 * D, requests: 5, errors: 2, tokens: 240, cost_usd: 1.3 },
    ]);
    expect(dashboard.top_tokens).toEqual([
      { aggregated_token_id: MISSING_TOKEN, name: '', user_id: root, requests: 4, tokens: 60, cost_usd: 0.45 },
      { aggregated_token_id: tokenA, name: 'tok-a', user_id: alice, requests: 3, tokens: 240, cost_usd: 1.3 },
    ]);
    expect(dashboard.top_users).toEqual([
      { user_id: root, username: 'root', requests: 4, tokens: 60, cost_usd: 0.45 },
      { user_id: alice, username: 'alice', requests: 3, tokens: 240, cost_usd: 1.3 },
    ]);
    expect(dashboard.provider_balances).toEqual(balances());
    expect(dashboard.failing_routes).toEqual([]);
  });

  it('30d: thirty daily buckets; a renamed provider shows its newest name', async () => {
    const start = NOW - 30 * D;
    const dashboard = await dashboardAt(NOW, '30d');
    expect(dashboard).toMatchObject({ window: '30d', start_time: start, end_time: NOW, bucket: 'day' });
    expect(dashboard.totals).toEqual({
      requests: 9,
      successes: 6,
      errors: 3,
      success_rate: 0.6667,
      prompt_tokens: 195,
      completion_tokens: 165,
      total_tokens: 360,
      cost_usd: 2.35,
      avg_latency_ms: 350.2,
      attempts: 11,
      failovers: 2,
    });
    expect(dashboard.by_provider).toEqual([
      {
        provider_id: p2,
        provider_name: 'beta',
        attempts: 6,
        errors: 4,
        error_rate: 0.6667,
        tokens: 60,
        cost_usd: 0.45,
        avg_latency_ms: 450,
      },
      {
        provider_id: p1,
        provider_name: 'alpha',
        attempts: 4,
        errors: 0,
        error_rate: 0,
        tokens: 300,
        cost_usd: 1.9,
        avg_latency_ms: 300.3,
      },
    ]);
    expect(dashboard.by_model).toEqual([
      { model_name: 'claude', requests: 5, errors: 3, tokens: 60, cost_usd: 0.45, avg_latency_ms: 450 },
      { model_name: 'gpt-4o', requests: 4, errors: 0, tokens: 300, cost_usd: 1.9, avg_latency_ms: 300.3 },
    ]);
    const filled = new Map([
      [10, { requests: 1, errors: 0, tokens: 60, cost_usd: 0.6 }],
      [22, { requests: 1, errors: 1, tokens: 0, cost_usd: 0 }],
      [23, { requests: 1, errors: 0, tokens: 40, cost_usd: 0.4 }],
      [28, { requests: 1, errors: 0, tokens: 20, cost_usd: 0.05 }],
      [29, { requests: 5, errors: 2, tokens: 240, cost_usd: 1.3 }],
    ]);
    expect(dashboard.series).toEqual(
      Array.from({ length: 30 }, (_, i) => {
        const sums = filled.get(i);
        return sums ? { time: start + i * D, ...sums } : zero(start + i * D);
      }),
    );
    expect(dashboard.top_tokens).toEqual([
      { aggregated_token_id: MISSING_TOKEN, name: '', user_id: root, requests: 5, tokens: 60, cost_usd: 0.45 },
      { aggregated_token_id: tokenA, name: 'tok-a', user_id: alice, requests: 4, tokens: 300, cost_usd: 1.9 },
    ]);
    expect(dashboard.top_users).toEqual([
      { user_id: root, username: 'root', requests: 5, tokens: 60, cost_usd: 0.45 },
      { user_id: alice, username: 'alice', requests: 4, tokens: 300, cost_usd: 1.9 },
    ]);
  });

  it('lists routes whose newest attempt in the last 15 minutes failed, newest first', async () => {
    const alpha = { provider_id: p1, provider_name: 'alpha' };
    const beta = { provider_id: p2, provider_name: 'beta' };
    const failure = { final: 1, status: 0 };
    const success = { final: 1, status: 1 };
    await insertLogs([
      // route 12 failed, then succeeded: not failing
      {
        request_id: 'f1',
        created_at: NOW2 - 800,
        ...failure,
        ...alpha,
        route_id: 12,
        model_name: 'gpt-4o',
        error_message: 'old failure',
      },
      {
        request_id: 'f2',
        created_at: NOW2 - 600,
        final: 0,
        status: 0,
        ...beta,
        route_id: 21,
        model_name: 'claude',
        attempt: 1,
        error_message: 'first failure',
      },
      {
        request_id: 'f2',
        created_at: NOW2 - 600,
        ...success,
        ...alpha,
        route_id: 12,
        model_name: 'claude',
        attempt: 2,
      },
      // route 21 failed twice in the window, the newest message cut to 200 characters
      {
        request_id: 'f3',
        created_at: NOW2 - 300,
        ...failure,
        ...beta,
        route_id: 21,
        model_name: 'claude',
        error_message: 'E'.repeat(150) + 'F'.repeat(150),
      },
      {
        request_id: 'f4',
        created_at: NOW2 - 100,
        ...failure,
        ...alpha,
        route_id: 31,
        model_name: 'gpt-4o-mini',
        error_message: 'timeout',
      },
      // just outside, and exactly at, the 15-minute edge
      {
        request_id: 'f5',
        created_at: NOW2 - 901,
        ...failure,
        ...beta,
        route_id: 41,
        model_name: 'claude',
        error_message: 'too old',
      },
      {
        request_id: 'f6',
        created_at: NOW2 - 900,
        ...failure,
        ...beta,
        route_id: 61,
        model_name: 'claude',
        error_message: 'at the edge',
      },
      // the same second: the later row (higher id) decides
      {
        request_id: 'f7',
        created_at: NOW2 - 50,
        ...failure,
        ...alpha,
        route_id: 51,
        model_name: 'm',
        error_message: 'flaky',
      },
      { request_id: 'f8', created_at: NOW2 - 50, ...success, ...alpha, route_id: 51, model_name: 'm' },
      { request_id: 'f9', created_at: NOW2 - 40, ...success, ...alpha, route_id: 52, model_name: 'm' },
      {
        request_id: 'f10',
        created_at: NOW2 - 40,
        ...failure,
        ...alpha,
        route_id: 52,
        model_name: 'm',
        error_message: 'late',
      },
      // refused before any route: no route to list
      {
        request_id: 'f11',
        created_at: NOW2 - 10,
        ...failure,
        provider_id: 0,
        route_id: 0,
        model_name: 'x',
        error_message: 'no route',
      },
    ]);
    const { failing_routes } = await dashboardAt(NOW2, 'today');
    expect(failing_routes).toEqual([
      {
        route_id: 52,
        model_name: 'm',
        provider_id: p1,
        provider_name: 'alpha',
        last_error: 'late',
        last_failed_at: NOW2 - 40,
        recent_failures: 1,
      },
      {
        route_id: 31,
        model_name: 'gpt-4o-mini',
        provider_id: p1,
        provider_name: 'alpha',
        last_error: 'timeout',
        last_failed_at: NOW2 - 100,
        recent_failures: 1,
      },
      {
        route_id: 21,
        model_name: 'claude',
        provider_id: p2,
        provider_name: 'beta',
        last_error: 'E'.repeat(150) + 'F'.repeat(50),
        last_failed_at: NOW2 - 300,
        recent_failures: 2,
      },
      {
        route_id: 61,
        model_name: 'claude',
        provider_id: p2,
        provider_name: 'beta',
        last_error: 'at the edge',
        last_failed_at: NOW2 - 900,
        recent_failures: 1,
      },
    ]);
  });

  it('keeps the top ten tokens and users by requests, a missing user named ""', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      request_id: `t${i}`,
      created_at: NOW3 - 10,
      aggregated_token_id: 1000 + i,
      user_id: 1000 + i,
      status: 1,
      total_tokens: i,
    }));
    await insertLogs([...rows, { ...rows[11]!, request_id: 't11-again', total_tokens: 5 }]);
    const dashboard = await dashboardAt(NOW3, '7d');
    expect(dashboard.totals).toMatchObject({ requests: 13, successes: 13, total_tokens: 71, failovers: 0 });
    const order = [11, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const tokens = (i: number) => (i === 11 ? 16 : i);
    expect(dashboard.top_tokens).toEqual(
      order.map((i) => ({
        aggregated_token_id: 1000 + i,
        name: '',
        user_id: 1000 + i,
        requests: i === 11 ? 2 : 1,
        tokens: tokens(i),
        cost_usd: 0,
      })),
    );
    expect(dashboard.top_users).toEqual(
      order.map((i) => ({
        user_id: 1000 + i,
        username: '',
        requests: i === 11 ? 2 : 1,
        tokens: tokens(i),
        cost_usd: 0,
      })),
    );
  });

  describe('GET /api/dashboard', () => {
    const get = (url: string, cookie?: string) =>
      app.request({ method: 'GET', url, headers: cookie ? { cookie } : {} });

    it('answers admins with the whole shape for the default window', async () => {
      const response = await get('/api/dashboard', rootCookie);
      expect(response.statusCode).toBe(200);
      const body = response.json<{ success: boolean; data: Record<string, unknown> }>();
      expect(body.success).toBe(true);
      const data = body.data as { start_time: number; end_time: number; series: Array<{ time: number }> };
      expect(Object.keys(body.data).sort()).toEqual(
        [
          'window',
          'start_time',
          'end_time',
          'bucket',
          'totals',
          'by_provider',
          'by_model',
          'series',
          'top_tokens',
          'top_users',
          'provider_balances',
          'failing_routes',
        ].sort(),
      );
      expect(body.data).toMatchObject({ window: 'today', bucket: 'hour', provider_balances: balances() });
      const midnight = new Date(data.end_time * 1000);
      midnight.setHours(0, 0, 0, 0);
      expect(data.start_time).toBe(midnight.getTime() / 1000);
      expect(data.series[0]?.time).toBe(data.start_time);
      expect(data.series).toHaveLength(Math.max(1, Math.ceil((data.end_time - data.start_time) / H)));
      expect(Object.keys(body.data.totals as object).sort()).toEqual(
        [
          'requests',
          'successes',
          'errors',
          'success_rate',
          'prompt_tokens',
          'completion_tokens',
          'total_tokens',
          'cost_usd',
          'avg_latency_ms',
          'attempts',
          'failovers',
        ].sort(),
      );
    });

    it('takes 7d and 30d as daily windows', async () => {
      for (const [window, days] of [
        ['7d', 7],
        ['30d', 30],
      ] as const) {
        const data = (await get(`/api/dashboard?window=${window}`, rootCookie)).json<{
          data: { window: string; bucket: string; start_time: number; end_time: number; series: unknown[] };
        }>().data;
        expect(data).toMatchObject({ window, bucket: 'day' });
        expect(data.end_time - data.start_time).toBe(days * D);
        expect(data.series).toHaveLength(days);
      }
    });

    it('refuses an unknown window with 400 naming it', async () => {
      const response = await get('/api/dashboard?window=1y', rootCookie);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect(response.json<{ message: string }>().message).toContain('window');
    });

    it('is for admins only: 401 anonymous, 403 for a plain user', async () => {
      expect((await get('/api/dashboard')).statusCode).toBe(401);
      const created = await app.request({
        method: 'POST',
        url: '/api/user/',
        headers: { cookie: rootCookie },
        payload: { username: 'plain', password: 'password-1', role: 1 },
      });
      expect(created.statusCode).toBe(200);
      expect((await get('/api/dashboard', await app.login('plain', 'password-1'))).statusCode).toBe(403);
    });
  });
});
