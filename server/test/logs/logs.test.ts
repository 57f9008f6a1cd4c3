import { CompiledQuery, type Insertable } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { UsageLogsTable } from '../../src/db/schema.js';
import { ProvidersRepo } from '../../src/repos/providers.js';
import { UsageLogQueriesRepo } from '../../src/repos/usage-log-queries.js';
import { CSV_COLUMNS, LogsService, type LogItem, type LogSummary } from '../../src/services/logs.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';

interface LogPage {
  items: LogItem[];
  total: number;
  page: number;
  page_size: number;
  summary: LogSummary;
}

interface Reply<T> {
  status: number;
  body: { success: boolean; message: string; code?: string; data: T };
}

const T = 1_700_000_000;
const EVIL_MODEL = 'evil, "model"';
const FORMULA = '=HYPERLINK("http://x.example")';
const MULTILINE = 'upstream said:\nbad gateway';

const ROW_FIELDS = [
  'id',
  'request_id',
  'created_at',
  'user_id',
  'aggregated_token_id',
  'provider_id',
  'provider_name',
  'provider_token_id',
  'route_id',
  'model_name',
  'endpoint',
  'is_stream',
  'status',
  'http_status',
  'error_type',
  'error_message',
  'attempt',
  'final',
  'latency_ms',
  'first_byte_ms',
  'prompt_tokens',
  'completion_tokens',
  'cache_tokens',
  'total_tokens',
  'cost_usd',
  'client_ip',
  'user_agent',
].sort();

const EMPTY_SUMMARY: LogSummary = {
  requests: 0,
  successes: 0,
  errors: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  cost_usd: 0,
  avg_latency_ms: 0,
  avg_first_byte_ms: 0,
};

/** RFC 4180, strictly: CRLF ends a record, quotes open only at a field's start, "" is a quote. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      expect(ch, `unquoted ${JSON.stringify(ch)} in a field`).not.toMatch(/["\r\n]/);
      field += ch;
    }
  }
  return rows;
}

describeEachDatabase('call log API', (database, dialect) => {
  let app: TestApp;
  const cookies: Record<string, string> = {};
  const ids: Record<string, number> = {};

  async function get<T = LogPage>(who: string, url: string): Promise<Reply<T>> {
    const cookie = cookies[who];
    const response = await app.request({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    return { status: response.statusCode, body: response.json() };
  }

  /** The request ids of a list, in the order given. */
  async function requests(who: string, url: string): Promise<string[]> {
    const reply = await get(who, url);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    for (const item of reply.body.data.items) expect(item.final).toBe(1);
    return reply.body.data.items.map((item) => item.request_id);
  }

  async function insertLog(row: Partial<Insertable<UsageLogsTable>> & { request_id: string; created_at: number }) {
    await app.db
      .insertInto('usage_logs')
      .values({ endpoint: '/v1/chat/completions', error_message: '', client_ip: '10.0.0.1', ...row })
      .execute();
  }

  async function exportCsv(who: string, url: string) {
    const cookie = cookies[who];
    const response = await app.request({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    expect(response.statusCode, response.body).toBe(200);
    const [header, ...rows] = parseCsv(response.body);
    expect(header).toEqual([...CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const records = rows.map((row) => Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row[i]!])));
    return { response, records };
  }

  beforeAll(async () => {
    app = await startTestApp(database());
    cookies.root = await app.login('root', '123456');
    for (const [username, role] of [
      ['alice', 1],
      ['bob', 1],
      ['boss', 10],
    ] as const) {
      const created = await app.request({
        method: 'POST',
        url: '/api/user/',
        headers: { cookie: cookies.root },
        payload: { username, password: 'password-1', role },
      });
      expect(created.statusCode, created.body).toBe(200);
      ids[username] = created.json<{ data: { id: number } }>().data.id;
      cookies[username] = await app.login(username, 'password-1');
    }
    ids.root = (
      await app.db.selectFrom('users').select('id').where('username', '=', 'root').executeTakeFirstOrThrow()
    ).id;
    for (const name of ['alpha', 'beta']) {
      await app.db
        .insertInto('providers')
        .values({
          name,
          base_url: `https://${name}.example`,
          access_token: 'secret',
          last_checkin_result: '',
          last_sync_result: '',
          balance_usd: null,
          group_ratios: '{}',
          auto_groups: '[]',
          remark: '',
        })
        .execute();
      ids[name] = (
        await app.db.selectFrom('providers').select('id').where('name', '=', name).executeTakeFirstOrThrow()
      ).id;
    }
    const alpha = { provider_id: ids.alpha, provider_name: 'alpha' };
    const beta = { provider_id: ids.beta, provider_name: 'beta' };
    const gone = { provider_id: 9999, provider_name: 'gone' };
    const failed = { status: 0, final: 0, error_type: 'upstream_error' };

    // prettier-ignore
    const rows: Array<Parameters<typeof insertLog>[0]> = [
      // r1: alice, a plain success.
      { request_id: 'r1', created_at: T, user_id: ids.alice, aggregated_token_id: 11, ...alpha,
        model_name: 'gpt-4o', status: 1, http_status: 200, latency_ms: 1000, first_byte_ms: 200,
        prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, cost_usd: 0.001 },
      // r2: alice, streamed, two failed attempts on alpha, then a success on beta.
      { request_id: 'r2', created_at: T + 100, user_id: ids.alice, aggregated_token_id: 11, ...alpha,
        model_name: 'gpt-4o', is_stream: 1, ...failed, http_status: 503, attempt: 1, latency_ms: 40 },
      { request_id: 'r2', created_at: T + 100, user_id: ids.alice, aggregated_token_id: 11, ...alpha,
        model_name: 'gpt-4o', is_stream: 1, ...failed, http_status: 429, attempt: 2, latency_ms: 50 },
      { request_id: 'r2', created_at: T + 100, user_id: ids.alice, aggregated_token_id: 11, ...beta,
        model_name: 'gpt-4o', is_stream: 1, status: 1, http_status: 200, attempt: 3, latency_ms: 2000,
        first_byte_ms: 300, prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, cost_usd: 0.0025 },
      // r3: alice, another token, streamed, failed on beta then on alpha: the client got the error.
      { request_id: 'r3', created_at: T + 200, user_id: ids.alice, aggregated_token_id: 12, ...beta,
        model_name: 'claude-3', is_stream: 1, ...failed, http_status: 500, attempt: 1, latency_ms: 70 },
      { request_id: 'r3', created_at: T + 200, user_id: ids.alice, aggregated_token_id: 12, ...alpha,
        model_name: 'claude-3', is_stream: 1, status: 0, http_status: 502, attempt: 2, latency_ms: 500,
        error_type: 'upstream_error', error_message: MULTILINE },
      // r4: bob, a success on alpha.
      { request_id: 'r4', created_at: T + 300, user_id: ids.bob, aggregated_token_id: 21, ...alpha,
        model_name: 'gpt-4o', status: 1, http_status: 200, latency_ms: 1500, first_byte_ms: 250,
        prompt_tokens: 5, completion_tokens: 5, total_tokens: 10, cost_usd: 0.0001 },
      // r5: bob, an odd model name, a failed attempt on beta, then a failure on a provider since deleted.
      { request_id: 'r5', created_at: T + 400, user_id: ids.bob, aggregated_token_id: 21, ...beta,
        model_name: EVIL_MODEL, ...failed, http_status: 502, attempt: 1 },
      { request_id: 'r5', created_at: T + 400, user_id: ids.bob, aggregated_token_id: 21, ...gone,
        model_name: EVIL_MODEL, status: 0, http_status: 500, attempt: 2, latency_ms: 300,
        error_message: FORMULA, user_agent: '@agent', client_ip: '-1+2' },
      // r6: alice, a success on beta with a tiny cost.
      { request_id: 'r6', created_at: T + 500, user_id: ids.alice, aggregated_token_id: 11, ...beta,
        model_name: 'gpt-4o', status: 1, http_status: 200, latency_ms: 1234, first_byte_ms: 567,
        prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cost_usd: 0.00000003 },
      // r7: root's own, streamed.
      { request_id: 'r7', created_at: T + 600, user_id: ids.root, aggregated_token_id: 1, ...alpha,
        model_name: 'gpt-4o', is_stream: 1, status: 1, http_status: 200, latency_ms: 777, first_byte_ms: 111,
        prompt_tokens: 7, completion_tokens: 7, total_tokens: 14, cost_usd: 0.0007 },
      // r8: bob, refused before any attempt (no provider).
      { request_id: 'r8', created_at: T + 700, user_id: ids.bob, aggregated_token_id: 22,
        model_name: 'gpt-4o', status: 0, http_status: 403, latency_ms: 1, error_type: 'model_not_allowed' },
      // A row of bob's that claims alice's request id: it must never reach alice.
      { request_id: 'r1', created_at: T + 800, user_id: ids.bob, aggregated_token_id: 21, ...alpha,
        model_name: 'gpt-4o', ...failed, http_status: 500, error_message: 'bob-only' },
    ];
    for (const row of rows) await insertLog(row);
  });
  afterAll(() => app.close());

  const ALL = ['r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1'];

  it('lists client requests newest first, each with its failed attempts oldest first', async () => {
    const reply = await get('root', '/api/log/');
    expect(reply.status).toBe(200);
    expect(reply.body.success).toBe(true);
    const { items, total, page, page_size } = reply.body.data;
    expect({ total, page, page_size }).toEqual({ total: 8, page: 1, page_size: 20 });
    expect(items.map((item) => item.request_id)).toEqual(ALL);
    expect(Object.keys(reply.body.data).sort()).toEqual(['items', 'page', 'page_size', 'summary', 'total']);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual([...ROW_FIELDS, 'attempts'].sort());
      for (const attempt of item.attempts) expect(Object.keys(attempt).sort()).toEqual(ROW_FIELDS);
    }
    const byId = Object.fromEntries(items.map((item) => [item.request_id, item]));
    expect(byId.r2).toMatchObject({
      user_id: ids.alice,
      provider_id: ids.beta,
      provider_name: 'beta',
      is_stream: 1,
      status: 1,
      attempt: 3,
      final: 1,
      created_at: T + 100,
      cost_usd: 0.0025,
    });
    expect(byId.r2!.attempts.map((a) => [a.attempt, a.http_status, a.provider_name, a.final, a.status])).toEqual([
      [1, 503, 'alpha', 0, 0],
      [2, 429, 'alpha', 0, 0],
    ]);
    expect(byId.r2!.attempts[0]!.id).toBeLessThan(byId.r2!.attempts[1]!.id);
    expect(byId.r3!.attempts.map((a) => a.http_status)).toEqual([500]);
    expect(byId.r3!.error_message).toBe(MULTILINE);
    expect(byId.r5!.attempts.map((a) => a.provider_name)).toEqual(['beta']);
    for (const id of ['r4', 'r6', 'r7', 'r8']) expect(byId[id]!.attempts).toEqual([]);
    // An admin sees every row with the request id, whoever's.
    expect(byId.r1!.attempts.map((a) => a.error_message)).toEqual(['bob-only']);
  });

  it('reads the page, its summary and all its attempts in three queries, whatever the page size', async () => {
    for (const pageSize of [2, 8]) {
      const before = app.queries.length;
      expect((await get('root', `/api/log/?page_size=${pageSize}`)).status).toBe(200);
      const logQueries = app.queries.slice(before).filter((text) => /usage_logs/.test(text));
      expect(logQueries).toHaveLength(3);
    }
  });

  // SQLite plans without statistics; the other databases plan from theirs, so only SQLite's is pinned.
  if (dialect === 'sqlite')
    it('on SQLite, takes the index of the filter and never sorts every final row', async () => {
      /** The plan of the last statement on usage_logs that the request ran and that matched `pick`. */
      async function planOf(who: string, url: string, pick: RegExp): Promise<string> {
        const before = app.queries.length;
        expect((await get(who, url)).status).toBe(200);
        const text = app.queries.slice(before).find((q) => /usage_logs/.test(q) && pick.test(q));
        if (!text) throw new Error(`no statement matching ${pick} for ${url}`);
        const params = Array.from(text.match(/\?/g) ?? [], () => 1);
        const plan = await app.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${text}`, params),
        );
        return plan.rows.map((row) => row.detail).join(' | ');
      }
      const page = /order by "id" desc limit/;
      const totals = /count\(\*\)/;
      expect(await planOf('root', '/api/log/', page)).toMatch(/^SCAN usage_logs$/); // backwards on the key, no sort
      expect(await planOf('alice', '/api/log/self', page)).toContain('usage_logs_user_created_idx');
      expect(await planOf('alice', '/api/log/self', totals)).toContain('usage_logs_user_created_idx');
      expect(await planOf('root', '/api/log/?token_id=11', page)).toContain('usage_logs_token_created_idx');
      expect(await planOf('root', `/api/log/?provider_id=${ids.alpha}`, page)).toContain(
        'usage_logs_provider_created_idx',
      );
      expect(await planOf('root', '/api/log/?model=gpt-4o', page)).toContain('usage_logs_model_created_idx');
      expect(await planOf('root', '/api/log/?request_id=r2', page)).toContain('usage_logs_request_idx');
      expect(await planOf('root', '/api/log/', /"request_id" in/)).toContain('usage_logs_request_idx');
      expect(await planOf('root', `/api/log/?start_time=${T}`, totals)).toMatch(/usage_logs_(final_)?created_idx/);
    });

  it('summarises the same filter over client requests, identically on every database', async () => {
    expect((await get('root', '/api/log/')).body.data.summary).toEqual({
      requests: 8,
      successes: 5,
      errors: 3,
      prompt_tokens: 123,
      completion_tokens: 84,
      total_tokens: 207,
      cost_usd: 0.00430003,
      avg_latency_ms: 1302.2, // (1000 + 2000 + 1500 + 1234 + 777) / 5
      avg_first_byte_ms: 285.6, // (200 + 300 + 250 + 567 + 111) / 5
    });
    expect((await get('alice', '/api/log/self')).body.data.summary).toEqual({
      requests: 4,
      successes: 3,
      errors: 1,
      prompt_tokens: 111,
      completion_tokens: 72,
      total_tokens: 183,
      cost_usd: 0.00350003,
      avg_latency_ms: 1411.3, // 4234 / 3
      avg_first_byte_ms: 355.7, // 1067 / 3
    });
    expect((await get('root', `/api/log/?start_time=${T + 100}&end_time=${T + 400}`)).body.data.summary).toEqual({
      requests: 3,
      successes: 2,
      errors: 1,
      prompt_tokens: 105,
      completion_tokens: 55,
      total_tokens: 160,
      cost_usd: 0.0026,
      avg_latency_ms: 1750,
      avg_first_byte_ms: 275,
    });
    // Failures only: no successful request to average over.
    expect((await get('root', '/api/log/?status=error')).body.data.summary).toEqual({
      ...EMPTY_SUMMARY,
      requests: 3,
      errors: 3,
    });
    const none = await get('root', '/api/log/?model=nothing-like-it');
    expect(none.body.data).toEqual({ items: [], total: 0, page: 1, page_size: 20, summary: EMPTY_SUMMARY });
  });

  it('applies every filter alone', async () => {
    const cases: Array<[string, string[]]> = [
      ['', ALL],
      ['model=gpt-4o', ['r8', 'r7', 'r6', 'r4', 'r2', 'r1']],
      ['model=claude-3', ['r3']],
      ['model=gpt', []],
      [`model=${encodeURIComponent(EVIL_MODEL)}`, ['r5']],
      [`provider_id=${ids.alpha}`, ['r7', 'r4', 'r3', 'r1']],
      [`provider_id=${ids.beta}`, ['r6', 'r2']],
      ['provider=alpha', ['r7', 'r4', 'r3', 'r1']],
      ['provider=beta', ['r6', 'r2']],
      ['provider=gone', ['r5']],
      ['provider=nobody', []],
      ['token_id=11', ['r6', 'r2', 'r1']],
      ['token_id=12', ['r3']],
      [`user_id=${ids.bob}`, ['r8', 'r5', 'r4']],
      [`user_id=${ids.root}`, ['r7']],
      ['status=success', ['r7', 'r6', 'r4', 'r2', 'r1']],
      ['status=error', ['r8', 'r5', 'r3']],
      ['status=all', ALL],
      ['stream=true', ['r7', 'r3', 'r2']],
      ['stream=false', ['r8', 'r6', 'r5', 'r4', 'r1']],
      ['request_id=r2', ['r2']],
      ['request_id=r9', []],
      [`start_time=${T + 500}`, ['r8', 'r7', 'r6']],
      [`end_time=${T + 200}`, ['r2', 'r1']],
      [`start_time=${T + 100}&end_time=${T + 400}`, ['r4', 'r3', 'r2']],
      // Empty parameters are "any", as panels send them.
      ['model=&provider=&status=&stream=&user_id=&start_time=', ALL],
    ];
    for (const [query, expected] of cases) {
      expect(await requests('root', `/api/log/?${query}`), query).toEqual(expected);
      const { total, summary } = (await get('root', `/api/log/?${query}`)).body.data;
      expect([total, summary.requests], query).toEqual([expected.length, expected.length]);
    }
  });

  it('combines filters', async () => {
    const cases: Array<[string, string[]]> = [
      [`user_id=${ids.alice}&stream=true&status=success`, ['r2']],
      [`user_id=${ids.alice}&stream=true`, ['r3', 'r2']],
      [`model=gpt-4o&provider=alpha&start_time=${T + 300}`, ['r7', 'r4']],
      ['token_id=11&provider=beta', ['r6', 'r2']],
      [`token_id=11&provider=beta&end_time=${T + 500}`, ['r2']],
      [`user_id=${ids.bob}&status=error&stream=false`, ['r8', 'r5']],
      [`user_id=${ids.bob}&request_id=r2`, []],
      ['request_id=r3&status=error&model=claude-3', ['r3']],
    ];
    for (const [query, expected] of cases) {
      expect(await requests('root', `/api/log/?${query}`), query).toEqual(expected);
    }
  });

  it('pages newest first with a stable total; page 0 is page 1', async () => {
    const page = (p: number) => get('root', `/api/log/?page_size=3&p=${p}`);
    const pages = await Promise.all([0, 1, 2, 3, 4].map(page));
    expect(pages.map((reply) => reply.body.data.items.map((item) => item.request_id))).toEqual([
      ['r8', 'r7', 'r6'],
      ['r8', 'r7', 'r6'],
      ['r5', 'r4', 'r3'],
      ['r2', 'r1'],
      [],
    ]);
    for (const reply of pages) expect(reply.body.data.total).toBe(8);
    expect(pages.map((reply) => reply.body.data.page)).toEqual([1, 1, 2, 3, 4]);
    expect(pages[2]!.body.data.page_size).toBe(3);
    // Attempts follow their request onto its page.
    expect(pages[3]!.body.data.items[0]!.attempts).toHaveLength(2);
    // Filtered paging.
    const filtered = await get('root', '/api/log/?model=gpt-4o&page_size=4&p=2');
    expect(filtered.body.data.items.map((item) => item.request_id)).toEqual(['r2', 'r1']);
    expect(filtered.body.data.total).toBe(6);
  });

  it('shows a user only their own requests and attempts, whatever they filter by', async () => {
    expect(await requests('alice', '/api/log/self')).toEqual(['r6', 'r3', 'r2', 'r1']);
    expect(await requests('bob', '/api/log/self')).toEqual(['r8', 'r5', 'r4']);
    // An admin's own log is their own too.
    expect(await requests('root', '/api/log/self')).toEqual(['r7']);
    expect(await requests('boss', '/api/log/self')).toEqual([]);

    const alice = await get('alice', '/api/log/self');
    for (const item of alice.body.data.items) {
      expect(item.user_id).toBe(ids.alice);
      for (const attempt of item.attempts) expect(attempt.user_id).toBe(ids.alice);
    }
    // bob's row carrying alice's request id stays out of alice's view.
    expect(alice.body.data.items.find((item) => item.request_id === 'r1')!.attempts).toEqual([]);
    expect(JSON.stringify(alice.body)).not.toContain('bob-only');

    // Another user's request id, token or provider finds nothing.
    expect(await requests('alice', '/api/log/self?request_id=r4')).toEqual([]);
    expect(await requests('alice', '/api/log/self?token_id=21')).toEqual([]);
    expect(await requests('alice', '/api/log/self?provider=gone')).toEqual([]);
    expect((await get('alice', '/api/log/self?token_id=21')).body.data.summary).toEqual(EMPTY_SUMMARY);
    // Filters on /self narrow within the caller's rows.
    expect(await requests('alice', '/api/log/self?token_id=11')).toEqual(['r6', 'r2', 'r1']);
    expect(await requests('alice', '/api/log/self?stream=true&status=error')).toEqual(['r3']);
    expect(await requests('bob', `/api/log/self?provider_id=${ids.alpha}`)).toEqual(['r4']);

    // Asking for someone else by user id is refused, not quietly ignored.
    const other = await get('alice', `/api/log/self?user_id=${ids.bob}`);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(other.body.message).toContain('user_id');
    expect((await get('alice', `/api/log/self?user_id=${ids.alice}`)).status).toBe(400);
  });

  it('keeps the admin list and export from users, and both from strangers', async () => {
    for (const url of ['/api/log/', '/api/log/export', `/api/log/?user_id=${ids.alice}`]) {
      const reply = await get('alice', url);
      expect(reply.status, url).toBe(403);
      expect(reply.body.code).toBe('FORBIDDEN');
    }
    for (const url of ['/api/log/', '/api/log/self', '/api/log/export', '/api/log/self/export']) {
      expect((await get('nobody', url)).status, url).toBe(401);
    }
    expect(await requests('boss', '/api/log/?page_size=1')).toEqual(['r8']);
  });

  it('refuses bad parameters with 400, naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['start_time=yesterday', 'start_time'],
      ['start_time=-5', 'start_time'],
      ['end_time=1.5', 'end_time'],
      [`start_time=${T}&end_time=${T}`, 'end_time'],
      [`start_time=${T + 10}&end_time=${T}`, 'end_time'],
      ['provider_id=0', 'provider_id'],
      ['provider_id=abc', 'provider_id'],
      [`provider=alpha&provider_id=${ids.alpha}`, 'provider'],
      ['token_id=-1', 'token_id'],
      ['user_id=x', 'user_id'],
      ['status=failed', 'status'],
      ['stream=yes', 'stream'],
      ['stream=1', 'stream'],
      ['model=a&model=b', 'model'],
      [`model=${'m'.repeat(192)}`, 'model'],
      [`request_id=${'r'.repeat(65)}`, 'request_id'],
      ['page_size=0', 'page_size'],
      ['page_size=101', 'page_size'],
      ['p=-1', 'p'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/log/', '/api/log/export', '/api/log/self', '/api/log/self/export']) {
        if (path.includes('export') && /^p(age_size)?=/.test(query)) continue; // the export has no pages
        if (path.includes('self') && field === 'user_id') continue;
        const reply = await get(path.includes('self') ? 'alice' : 'root', `${path}?${query}`);
        expect(reply.status, `${path}?${query}`).toBe(400);
        expect(reply.body.code).toBe('VALIDATION_FAILED');
        expect(reply.body.message, `${path}?${query}`).toMatch(new RegExp(`(^|; )${field}: `));
      }
    }
  });

  it('exports CSV: header, every matching request newest first, quoting and the formula guard', async () => {
    const { response, records } = await exportCsv('root', '/api/log/export');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="usage-logs.csv"');
    expect(response.headers['x-truncated']).toBeUndefined();
    expect(records.map((record) => record.request_id)).toEqual(ALL);

    const r5 = records.find((record) => record.request_id === 'r5')!;
    expect(r5.model_name).toBe(EVIL_MODEL);
    expect(response.body).toContain('"evil, ""model"""');
    // Text a spreadsheet would run as a formula starts with a quote; numbers stay numbers.
    expect(r5.error_message).toBe(`'${FORMULA}`);
    expect(r5.user_agent).toBe("'@agent");
    expect(r5.client_ip).toBe("'-1+2");
    expect(r5.provider_id).toBe('9999');
    expect(r5.provider_name).toBe('gone');
    const r3 = records.find((record) => record.request_id === 'r3')!;
    expect(r3.error_message).toBe(MULTILINE);
    const r2 = records.find((record) => record.request_id === 'r2')!;
    expect(r2).toMatchObject({
      created_at: String(T + 100),
      time: new Date((T + 100) * 1000).toISOString(),
      user_id: String(ids.alice),
      is_stream: '1',
      status: '1',
      attempt: '3',
      total_tokens: '150',
      cost_usd: '0.0025',
    });
    expect(Number(records.find((record) => record.request_id === 'r6')!.cost_usd)).toBe(0.00000003);
  });

  it('exports with the filters of the list, and only the caller’s own rows from /self', async () => {
    const byBob = await exportCsv('root', `/api/log/export?user_id=${ids.bob}`);
    expect(byBob.records.map((record) => record.request_id)).toEqual(['r8', 'r5', 'r4']);
    const combined = await exportCsv('root', `/api/log/export?model=gpt-4o&stream=true&start_time=${T}`);
    expect(combined.records.map((record) => record.request_id)).toEqual(['r7', 'r2']);
    const empty = await exportCsv('root', '/api/log/export?model=none');
    expect(empty.records).toEqual([]);
    expect(empty.response.body).toBe(`${CSV_COLUMNS.join(',')}\r\n`);

    const alice = await exportCsv('alice', '/api/log/self/export');
    expect(alice.records.map((record) => record.request_id)).toEqual(['r6', 'r3', 'r2', 'r1']);
    for (const record of alice.records) expect(record.user_id).toBe(String(ids.alice));
    expect(alice.response.body).not.toContain('bob-only');
    expect((await exportCsv('alice', '/api/log/self/export?status=success')).records).toHaveLength(3);
    expect((await exportCsv('alice', '/api/log/self/export?request_id=r4')).records).toEqual([]);
    expect((await exportCsv('alice', '/api/log/self/export?token_id=21')).records).toEqual([]);
    const refused = await get('alice', `/api/log/self/export?user_id=${ids.bob}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('user_id');
  });

  it('streams the export in chunks read by id, capped, and says when it was capped', async () => {
    const repos = { logs: new UsageLogQueriesRepo(app.db), providers: new ProvidersRepo(app.db) };
    const collect = async (maxRows: number, chunkRows: number, query = {}) => {
      const { truncated, chunks } = await new LogsService(repos, { maxRows, chunkRows }).export(query);
      const parts: string[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      return {
        truncated,
        parts,
        ids: parseCsv(parts.join(''))
          .slice(1)
          .map((row) => row[1]),
      };
    };
    const capped = await collect(5, 2);
    expect(capped.truncated).toBe(true);
    expect(capped.ids).toEqual(ALL.slice(0, 5));
    expect(capped.parts).toHaveLength(4); // the header, then 2 + 2 + 1 rows
    const exact = await collect(8, 3);
    expect(exact.truncated).toBe(false);
    expect(exact.ids).toEqual(ALL);
    expect(exact.parts).toHaveLength(4); // the header, then 3 + 3 + 2 rows
    const filtered = await collect(2, 1, { userId: ids.alice });
    expect(filtered).toMatchObject({ truncated: true, ids: ['r6', 'r3'] });

    // Rows written while an export runs do not shift it.
    const small = new LogsService(repos, { maxRows: 100, chunkRows: 2 });
    const { chunks } = await small.export({});
    const iterator = chunks[Symbol.asyncIterator]();
    const parts = [(await iterator.next()).value as string];
    await insertLog({ request_id: 'late', created_at: T + 900, user_id: ids.bob, model_name: 'gpt-4o', status: 1 });
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) parts.push(next.value);
    expect(
      parseCsv(parts.join(''))
        .slice(1)
        .map((row) => row[1]),
    ).toEqual(ALL);
    await app.db.deleteFrom('usage_logs').where('request_id', '=', 'late').execute();

    // Over HTTP, a capped export carries X-Truncated.
    const spy = vi
      .spyOn(app.services.logs, 'export')
      .mockImplementation((query) => new LogsService(repos, { maxRows: 3, chunkRows: 2 }).export(query));
    try {
      const { response, records } = await exportCsv('root', '/api/log/export');
      expect(response.headers['x-truncated']).toBe('true');
      expect(records.map((record) => record.request_id)).toEqual(['r8', 'r7', 'r6']);
    } finally {
      spy.mockRestore();
    }
  });
});
