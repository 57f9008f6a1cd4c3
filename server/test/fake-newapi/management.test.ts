import { afterEach, describe, expect, it } from 'vitest';
import { FakeNewApi, fakeKey, fakeModel, fakeToken, type FakeNewApiOptions } from './index.js';
import { localDate } from './http.js';
import { bodyOf as json, dig, mgmt, pluck } from './test-helpers.js';

let fake: FakeNewApi;
const start = async (options: FakeNewApiOptions = {}) => (fake = await FakeNewApi.start(options));
afterEach(() => fake?.close());

describe('fake NewAPI: basics', () => {
  it('listens on 127.0.0.1 with a url without trailing slash, and tags every answer', async () => {
    await start({ version: 'v9.9.9' });
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    const response = await fetch(`${fake.url}/api/status`);
    expect(response.headers.get('x-oneapi-request-id')).toMatch(/^\d{22}$/);
    expect(response.headers.get('x-new-api-version')).toBe('v9.9.9');
    const notFound = await fetch(`${fake.url}/api/xyz`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-oneapi-request-id')).toBeTruthy();
    expect(await notFound.json()).toEqual({
      error: { message: 'Invalid URL (GET /api/xyz)', type: 'invalid_request_error', param: '', code: '' },
    });
    const wrongMethod = await fetch(`${fake.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(404);
    expect(dig(await json(wrongMethod), 'error', 'message')).toBe('Invalid URL (GET /v1/chat/completions)');
  });

  it('GET /api/status is public and reflects quota_per_unit and check-in', async () => {
    await start();
    const body = await json(await fetch(`${fake.url}/api/status`));
    expect(body).toMatchObject({ success: true, message: '' });
    expect(body.data).toMatchObject({
      version: 'v1.0.0-rc.21',
      system_name: 'Fake NewAPI',
      quota_per_unit: 500000,
      checkin_enabled: true,
    });
    expect(typeof dig(body, 'data', 'start_time')).toBe('number');
    fake.update({ quotaPerUnit: null, checkin: 'absent' });
    const later = await json(await fetch(`${fake.url}/api/status`));
    expect(later.data).not.toHaveProperty('quota_per_unit');
    expect(later.data).not.toHaveProperty('checkin_enabled');
    fake.update({ checkin: 'disabled' });
    expect(dig(await json(await fetch(`${fake.url}/api/status`)), 'data', 'checkin_enabled')).toBe(false);
  });

  it('redirects the group root without trailing slash like gin (301 GET, 307 POST)', async () => {
    await start();
    const get = await fetch(`${fake.url}/api/token?p=1`, { redirect: 'manual' });
    expect(get.status).toBe(301);
    expect(get.headers.get('location')).toBe('/api/token/?p=1');
    const post = await fetch(`${fake.url}/api/token`, { method: 'POST', redirect: 'manual' });
    expect(post.status).toBe(307);
  });
});

describe('fake NewAPI: management auth', () => {
  it('applies the classic rules in order', async () => {
    await start({ userId: 7, accessToken: 'pat-123' });
    const call = (headers: Record<string, string>) => fetch(`${fake.url}/api/user/self`, { headers });

    const none = await call({});
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      success: false,
      message: 'Unauthorized, not logged in and no access token provided',
    });

    const bad = await call({ authorization: 'Bearer nope', 'new-api-user': 'x' });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({ success: false, message: 'Unauthorized, invalid access token' });

    const lower = await call({ authorization: 'bearer pat-123', 'new-api-user': '7' });
    expect((await json(lower)).message).toBe('Unauthorized, invalid access token');

    const noUser = await call({ authorization: 'Bearer pat-123' });
    expect(noUser.status).toBe(401);
    expect((await json(noUser)).message).toBe('Unauthorized, New-Api-User header not provided');

    const format = await call({ authorization: 'pat-123', 'new-api-user': 'seven' });
    expect(format.status).toBe(401);
    expect((await json(format)).message).toBe('Unauthorized, New-Api-User header format error');

    const mismatch = await call({ authorization: 'pat-123', 'new-api-user': '8' });
    expect(mismatch.status).toBe(401);
    expect((await json(mismatch)).message).toBe('Unauthorized, New-Api-User does not match logged in user');

    for (const authorization of ['pat-123', 'Bearer pat-123']) {
      const ok = await call({ authorization, 'new-api-user': '7' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('auth-version')).toBe('864b7076dbcd0a3c01b5520316720ebf');
      expect(dig(await json(ok), 'data', 'id')).toBe(7);
    }
  });

  it('answers in Chinese for Accept-Language zh', async () => {
    await start();
    const response = await fetch(`${fake.url}/api/user/self`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect((await json(response)).message).toBe('无权进行此操作，未登录且未提供 access token');
  });

  it('keeps /api/pricing public', async () => {
    await start();
    expect((await fetch(`${fake.url}/api/pricing`)).status).toBe(200);
  });
});

describe('fake NewAPI: pricing and self', () => {
  it('GET /api/pricing has the top-level shape', async () => {
    await start({
      models: [
        fakeModel('gpt-4o', { model_ratio: 1.25, completion_ratio: 4 }),
        fakeModel('claude-x', { quota_type: 1, model_price: 0.05, model_ratio: 3, enable_groups: ['default', 'vip'] }),
      ],
      groupRatio: { default: 1, vip: 0.5 },
    });
    const body = await json(await fetch(`${fake.url}/api/pricing`));
    expect(Object.keys(body).sort()).toEqual(
      [
        'auto_groups',
        'data',
        'group_ratio',
        'pricing_version',
        'success',
        'supported_endpoint',
        'usable_group',
        'vendors',
      ].sort(),
    );
    expect(body.success).toBe(true);
    expect(body.group_ratio).toEqual({ default: 1, vip: 0.5 });
    expect(body.usable_group).toEqual({ default: '默认分组', vip: 'vip分组' });
    expect(dig(body, 'supported_endpoint', 'openai')).toEqual({ path: '/v1/chat/completions', method: 'POST' });
    expect(dig(body, 'data', 0)).toEqual({
      model_name: 'gpt-4o',
      vendor_id: 1,
      quota_type: 0,
      model_ratio: 1.25,
      model_price: 0,
      owner_by: '',
      completion_ratio: 4,
      enable_groups: ['default'],
      supported_endpoint_types: ['openai'],
      pricing_version: body.pricing_version,
    });
    expect(dig(body, 'data', 1)).toMatchObject({ quota_type: 1, model_ratio: 0, model_price: 0.05, vendor_id: 2 });
    expect(dig(body, 'data', 1)).not.toHaveProperty('pricing_version');
    expect(pluck(body.vendors, 'name')).toEqual(['OpenAI', 'Anthropic']);
  });

  it('GET /api/user/self returns integer quota fields', async () => {
    await start({ username: 'alice', quota: 2_500_000, usedQuota: 123, group: 'vip' });
    const body = await json(await mgmt(fake, '/api/user/self'));
    expect(body).toMatchObject({ success: true, message: '' });
    expect(body.data).toMatchObject({
      id: 1,
      username: 'alice',
      display_name: 'alice',
      role: 1,
      status: 1,
      group: 'vip',
      quota: 2_500_000,
      used_quota: 123,
      request_count: 0,
    });
  });
});

describe('fake NewAPI: tokens', () => {
  const tokens = Array.from({ length: 23 }, (_, i) => fakeToken({ id: i + 1 }));

  it('pages 1-based with page_size / ps / size, id DESC, capped at 100', async () => {
    await start({ tokens });
    const page = async (query: string) => (await json(await mgmt(fake, `/api/token/${query}`))).data;
    const first = await page('?p=1&page_size=10');
    expect(first).toMatchObject({ page: 1, page_size: 10, total: 23 });
    expect(pluck(dig(first, 'items'), 'id')).toEqual([23, 22, 21, 20, 19, 18, 17, 16, 15, 14]);
    expect(pluck(dig(await page('?p=3&ps=10'), 'items'), 'id')).toEqual([3, 2, 1]);
    expect(pluck(dig(await page('?p=2&size=5'), 'items'), 'id')).toEqual([18, 17, 16, 15, 14]);
    expect(await page('?p=0')).toMatchObject({ page: 1, page_size: 10 });
    expect(await page('?p=abc&page_size=500')).toMatchObject({ page: 1, page_size: 100 });
    expect(dig(await page('?page_size=2&size=7'), 'page_size')).toBe(2);
    expect(dig(await page(''), 'items')).toHaveLength(10);
  });

  it('legacy-array style: 0-based p, size, plain array', async () => {
    await start({ tokens, tokenListStyle: 'legacy-array' });
    const body = await json(await mgmt(fake, '/api/token/?p=0&size=5'));
    expect(Array.isArray(body.data)).toBe(true);
    expect(pluck(body.data, 'id')).toEqual([23, 22, 21, 20, 19]);
    const second = await json(await mgmt(fake, '/api/token/?p=1&size=5&page_size=50'));
    expect(pluck(second.data, 'id')).toEqual([18, 17, 16, 15, 14]);
  });

  it('masks keys in list and get, reveals with POST /api/token/:id/key', async () => {
    await start({ tokens: [fakeToken({ id: 12, name: 'my-key' })] });
    const key = fakeKey(12);
    expect(key).toMatch(/^[0-9a-zA-Z]{48}$/);
    const list = await json(await mgmt(fake, '/api/token/?p=1&page_size=10'));
    const item = dig(list, 'data', 'items', 0);
    expect(item).toEqual({
      id: 12,
      user_id: 1,
      key: `${key.slice(0, 4)}**********${key.slice(-4)}`,
      status: 1,
      name: 'my-key',
      created_time: expect.any(Number),
      accessed_time: expect.any(Number),
      expired_time: -1,
      remain_quota: 5_000_000,
      unlimited_quota: false,
      model_limits_enabled: false,
      model_limits: '',
      allow_ips: '',
      used_quota: 0,
      group: '',
      cross_group_retry: false,
      DeletedAt: null,
    });
    expect(dig(await json(await mgmt(fake, '/api/token/12')), 'data', 'key')).toBe(dig(item, 'key'));
    const reveal = await mgmt(fake, '/api/token/12/key', { method: 'POST' });
    expect(await reveal.json()).toEqual({ success: true, message: '', data: { key } });
    const missing = await mgmt(fake, '/api/token/99/key', { method: 'POST' });
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({ success: false, message: 'record not found' });
    fake.update({ maskKeys: false });
    expect(dig(await json(await mgmt(fake, '/api/token/')), 'data', 'items', 0, 'key')).toBe(key);
  });

  it('creates (no data) and deletes tokens, and records both calls', async () => {
    await start({ tokens: [fakeToken({ id: 1 })] });
    const created = await mgmt(fake, '/api/token/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'new', remain_quota: 1000, key: 'ignored' }),
    });
    expect(await created.json()).toEqual({ success: true, message: '' });
    expect(fake.state.tokens.map((t) => [t.id, t.name, t.key])).toEqual([
      [1, 'token-1', fakeKey(1)],
      [2, 'new', fakeKey(2)],
    ]);
    expect(await (await mgmt(fake, '/api/token/1', { method: 'DELETE' })).json()).toEqual({
      success: true,
      message: '',
    });
    expect(await (await mgmt(fake, '/api/token/1', { method: 'DELETE' })).json()).toEqual({
      success: false,
      message: 'record not found',
    });
    expect(fake.state.tokens.map((t) => t.id)).toEqual([2]);
    expect(fake.requestsTo('POST', '/api/token/')).toHaveLength(1);
    expect(fake.requestsTo('delete', /^\/api\/token\/\d+$/)).toHaveLength(2);
  });

  it('does not share state with the options it was given', async () => {
    const shared = [fakeToken({ id: 1 })];
    await start({ tokens: shared });
    fake.state.tokens[0]!.name = 'changed';
    expect(shared[0]!.name).toBe('token-1');
  });
});

describe('fake NewAPI: check-in', () => {
  it('succeeds once a day, then says 今日已签到', async () => {
    await start({ quota: 1000, checkinQuota: 4321 });
    expect(fake.checkedInToday()).toBe(false);
    const first = await mgmt(fake, '/api/user/checkin', { method: 'POST' });
    expect(await first.json()).toEqual({
      success: true,
      message: '签到成功',
      data: { quota_awarded: 4321, checkin_date: localDate() },
    });
    expect(fake.state.quota).toBe(5321);
    expect(fake.checkedInToday()).toBe(true);
    const again = await mgmt(fake, '/api/user/checkin', { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ success: false, message: '今日已签到' });
    expect(fake.state.quota).toBe(5321);
    const status = await json(await mgmt(fake, '/api/user/checkin'));
    expect(status).not.toHaveProperty('message');
    expect(dig(status, 'data', 'stats')).toMatchObject({ checked_in_today: true, checkin_count: 1, total_quota: 4321 });
  });

  it('says 签到功能未启用 when disabled, and has no route when absent', async () => {
    await start({ checkin: 'disabled' });
    for (const method of ['GET', 'POST']) {
      const response = await mgmt(fake, '/api/user/checkin', { method });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: false, message: '签到功能未启用' });
    }
    fake.update({ checkin: 'absent' });
    const absent = await mgmt(fake, '/api/user/checkin', { method: 'POST' });
    expect(absent.status).toBe(404);
    expect(dig(await json(absent), 'error', 'message')).toBe('Invalid URL (POST /api/user/checkin)');
  });

  it('requires management auth', async () => {
    await start();
    expect((await fetch(`${fake.url}/api/user/checkin`, { method: 'POST' })).status).toBe(401);
    expect(fake.checkedInToday()).toBe(false);
  });
});
