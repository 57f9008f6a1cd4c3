import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNewApi, fakeModel, fakeToken } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { addProvider, api, type Admin } from './helpers.js';

describeEachDatabase('provider admin API', (database) => {
  let admin: Admin;
  let fake: FakeNewApi;

  beforeAll(async () => {
    fake = await FakeNewApi.start({
      accessToken: 'upstream-secret-access-token',
      models: [
        fakeModel('gpt-4o', { model_ratio: 2.5, completion_ratio: 4 }),
        fakeModel('mj', { quota_type: 1, model_price: 0.1 }),
      ],
      tokens: [fakeToken({ id: 7 })],
    });
    const app = await startTestApp(database());
    admin = { app, cookie: await app.login('root', '123456') };
  });
  afterAll(async () => {
    await admin.app.close();
    await fake.close();
  });

  const valid = () => ({
    name: 'Provider-A',
    base_url: fake.url,
    access_token: 'upstream-secret-access-token',
    user_id: 1,
  });

  it('creates with defaults, never shows the access token, and syncs at once', async () => {
    const created = await api<Record<string, unknown>>(admin, 'POST', '/api/provider/', {
      ...valid(),
      base_url: `${fake.url}/`,
    });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({
      name: 'Provider-A',
      base_url: fake.url, // trailing slash dropped
      weight: 10,
      priority: 0,
      status: 1,
      checkin_enabled: false,
      has_access_token: true,
    });
    expect(JSON.stringify(created.body)).not.toContain('upstream-secret-access-token');
    const id = created.body.data.id as number;
    await admin.app.services.sync.sync(id);
    const fetched = await api<Record<string, unknown>>(admin, 'GET', `/api/provider/${id}`);
    expect(fetched.body.data).toMatchObject({ balance_usd: 10, last_sync_result: { ok: true } });
    expect(JSON.stringify(fetched.body)).not.toContain('upstream-secret-access-token');
    expect(admin.app.logs.join('\n')).not.toContain('upstream-secret-access-token');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: undefined }, 'name'],
    [{ base_url: 'ftp://example.com' }, 'base_url'],
    [{ base_url: 'not a url' }, 'base_url'],
    [{ base_url: 'http://x.example/api?x=1' }, 'base_url'],
    [{ access_token: '' }, 'access_token'],
    [{ user_id: 0 }, 'user_id'],
    [{ user_id: '1' }, 'user_id'],
    [{ weight: -1 }, 'weight'],
    [{ priority: 1.5 }, 'priority'],
    [{ status: 3 }, 'status'],
  ])('refuses %j naming %s', async (patch, field) => {
    const response = await api(admin, 'POST', '/api/provider/', { ...valid(), name: `bad-${field}`, ...patch });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(response.body.message).toContain(field);
  });

  it('refuses a duplicate name with 409 naming the field', async () => {
    const response = await api(admin, 'POST', '/api/provider/', valid());
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/^name: .*Provider-A/);
  });

  it('updates partially: fields left out keep their values, an empty access token keeps the old one', async () => {
    const id = await addProvider(admin, fake, {
      name: 'partial',
      priority: 4,
      weight: 30,
      remark: 'keep me',
      checkin_enabled: true,
    });
    const updated = await api<Record<string, unknown>>(admin, 'PUT', '/api/provider/', {
      id,
      weight: 5,
      access_token: '',
    });
    expect(updated.body.data).toMatchObject({
      name: 'partial',
      priority: 4,
      weight: 5,
      remark: 'keep me',
      checkin_enabled: true,
      status: 1,
    });
    const row = await admin.app.db
      .selectFrom('providers')
      .select('access_token')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.access_token).toBe(fake.state.accessToken);
    const renamed = await api(admin, 'PUT', '/api/provider/', { id, name: 'Provider-A' });
    expect(renamed.status).toBe(409);
    expect((await api(admin, 'PUT', '/api/provider/', { id: 999_999, weight: 1 })).status).toBe(404);
    expect((await api(admin, 'PUT', '/api/provider/', { id, weight: -3 })).body.message).toContain('weight');
  });

  it('lists with search and pages', async () => {
    const page = await api<{ items: Array<{ name: string }>; total: number; page: number; page_size: number }>(
      admin,
      'GET',
      '/api/provider/?keyword=PART&p=1&page_size=10',
    );
    expect(page.body.data).toMatchObject({ total: 1, page: 1, page_size: 10 });
    expect(page.body.data.items.map((p) => p.name)).toEqual(['partial']);
    const all = await api<{ total: number; items: unknown[] }>(admin, 'GET', '/api/provider/?page_size=1');
    expect(all.body.data.total).toBe(2);
    expect(all.body.data.items).toHaveLength(1);
  });

  it('shows tokens masked and pricing in USD', async () => {
    const [provider] = (await api<{ items: Array<{ id: number }> }>(admin, 'GET', '/api/provider/?keyword=Provider-A'))
      .body.data.items;
    const tokens = await api<Array<{ key: string; upstream_token_id: number }>>(
      admin,
      'GET',
      `/api/provider/${provider!.id}/tokens`,
    );
    const key = fake.state.tokens[0]!.key;
    expect(tokens.body.data).toHaveLength(1);
    expect(tokens.body.data[0]).toMatchObject({
      upstream_token_id: 7,
      key: `sk-${key.slice(0, 4)}********${key.slice(-4)}`,
    });
    expect(JSON.stringify(tokens.body)).not.toContain(key);
    const pricing = await api<{ group_ratio: Record<string, number>; items: Array<Record<string, unknown>> }>(
      admin,
      'GET',
      `/api/provider/${provider!.id}/pricing`,
    );
    expect(pricing.body.data.group_ratio).toEqual({ default: 1 });
    expect(pricing.body.data.items).toEqual([
      expect.objectContaining({
        model_name: 'gpt-4o',
        billing: 'per_token',
        input_per_1m: 5,
        output_per_1m: 20,
        per_call: null,
      }),
      expect.objectContaining({ model_name: 'mj', billing: 'per_call', per_call: 0.1, input_per_1m: null }),
    ]);
  });

  it('deletes a provider with its tokens, pricing and routes, but keeps usage logs', async () => {
    const id = await addProvider(admin, fake, { name: 'doomed' });
    await admin.app.db
      .insertInto('usage_logs')
      .values({ request_id: 'keep-me', created_at: 1, provider_id: id, provider_name: 'doomed', error_message: '' })
      .execute();
    expect(
      (await admin.app.db.selectFrom('model_routes').select('id').where('provider_id', '=', id).execute()).length,
    ).toBeGreaterThan(0);
    expect((await api(admin, 'DELETE', `/api/provider/${id}`)).status).toBe(200);
    for (const table of ['model_routes', 'provider_tokens', 'model_pricings'] as const) {
      const rows = await admin.app.db.selectFrom(table).select('id').where('provider_id', '=', id).execute();
      expect(rows, table).toEqual([]);
    }
    const logs = await admin.app.db
      .selectFrom('usage_logs')
      .select('request_id')
      .where('provider_id', '=', id)
      .execute();
    expect(logs).toEqual([{ request_id: 'keep-me' }]);
    expect((await api(admin, 'GET', `/api/provider/${id}`)).status).toBe(404);
    expect((await api(admin, 'DELETE', `/api/provider/${id}`)).status).toBe(404);
  });

  describe('access', () => {
    it('is for admins only', async () => {
      await admin.app.request({
        method: 'POST',
        url: '/api/user/',
        headers: { cookie: admin.cookie },
        payload: { username: 'plainuser', password: 'password-1' },
      });
      const cookie = await admin.app.login('plainuser', 'password-1');
      for (const [method, url] of [
        ['GET', '/api/provider/'],
        ['POST', '/api/provider/1/sync'],
        ['GET', '/api/route/'],
      ] as const) {
        expect((await admin.app.request({ method, url, headers: { cookie } })).statusCode, url).toBe(403);
      }
      expect((await admin.app.request({ method: 'GET', url: '/api/provider/' })).statusCode).toBe(401);
    });
  });
});
