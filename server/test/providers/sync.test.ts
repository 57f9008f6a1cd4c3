import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNewApi, fakeModel, fakeToken } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { addProvider, api, stepOf, storedState, sync, type Admin } from './helpers.js';

const MODELS = [
  fakeModel('gpt-4o', { model_ratio: 1.25, completion_ratio: 4, enable_groups: ['default', 'vip'] }),
  fakeModel('claude-3', { model_ratio: 1.5, completion_ratio: 5, enable_groups: ['vip'] }),
  fakeModel('dall-e', { quota_type: 1, model_ratio: 0, model_price: 0.04, enable_groups: ['default'] }),
];

describeEachDatabase('provider sync', (database) => {
  let admin: Admin;
  let fake: FakeNewApi;
  let providerId: number;

  beforeAll(async () => {
    fake = await FakeNewApi.start({
      quota: 12_500_000,
      group: 'vip',
      models: MODELS,
      groupRatio: { default: 1, vip: 0.8 },
      tokens: [
        fakeToken({ id: 1, group: 'default' }),
        fakeToken({ id: 2, group: '' }), // the user's group: vip
        fakeToken({ id: 3, group: 'vip', model_limits_enabled: true, model_limits: 'claude-3' }),
        fakeToken({ id: 4, group: 'default', status: 2 }),
      ],
    });
    const app = await startTestApp(database(), { UPSTREAM_MANAGEMENT_TIMEOUT: '1' });
    admin = { app, cookie: await app.login('root', '123456') };
    providerId = await addProvider(admin, fake, { priority: 3, weight: 7 });
  });
  afterAll(async () => {
    await admin.app.close();
    await fake.close();
  });

  it('stores pricing, revealed keys, balance and routes', async () => {
    const state = await storedState(admin, providerId);
    expect(
      state.pricing.map((p) => [p.model_name, p.quota_type, p.model_ratio, p.completion_ratio, p.model_price]),
    ).toEqual([
      ['claude-3', 0, 1.5, 5, 0],
      ['dall-e', 1, 0, 0, 0.04], // NewAPI sends ratios only for per-token models
      ['gpt-4o', 0, 1.25, 4, 0],
    ]);
    expect(JSON.parse(state.groupRatios)).toEqual({ default: 1, vip: 0.8 });
    expect(state.tokens.map((t) => [t.upstream_token_id, t.status, t.sk_key])).toEqual(
      fake.state.tokens.map((t) => [t.id, t.status, `sk-${t.key}`]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    expect(state.balance).toBe(25); // 12 500 000 quota / 500 000 per USD
    const tokenIdOf = (upstreamId: number) => state.tokens.find((t) => t.upstream_token_id === upstreamId)!.id;
    const routes = state.routes.map((r) => `${r.model_name}@${r.provider_token_id}`).sort();
    expect(routes).toEqual(
      [
        `dall-e@${tokenIdOf(1)}`,
        `gpt-4o@${tokenIdOf(1)}`,
        `claude-3@${tokenIdOf(2)}`,
        `gpt-4o@${tokenIdOf(2)}`,
        `claude-3@${tokenIdOf(3)}`,
      ].sort(),
    );
    expect(state.routes.every((r) => r.priority === 3 && r.weight === 7 && r.enabled === 1)).toBe(true);
    expect(admin.app.services.routeTable.current.models).toEqual(['claude-3', 'dall-e', 'gpt-4o']);
  });

  it('answers the sync endpoint with what each step did', async () => {
    const { body } = await sync(admin, providerId);
    expect(body.success).toBe(true);
    expect(body.data.ok).toBe(true);
    expect(body.data.steps.map((s) => s.step)).toEqual(['pricing', 'tokens', 'balance', 'routes']);
    expect(stepOf(body.data, 'pricing').counts).toMatchObject({ models: 3, added: 0, removed: 0 });
    expect(stepOf(body.data, 'tokens').counts).toMatchObject({ tokens: 4, added: 0, revealed: 0 });
    expect(stepOf(body.data, 'routes').counts).toMatchObject({ routes: 5, added: 0, removed: 0 });
  });

  it('reveals each masked key once, and never again while it is known', async () => {
    expect(fake.requestsTo('POST', /^\/api\/token\/\d+\/key$/)).toHaveLength(4);
    await sync(admin, providerId);
    expect(fake.requestsTo('POST', /^\/api\/token\/\d+\/key$/)).toHaveLength(4);
  });

  it('sends the access token and New-Api-User, and never writes to the upstream', () => {
    const management = fake.requests.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/status');
    expect(management.length).toBeGreaterThan(0);
    for (const request of management) {
      expect(request.headers.authorization).toBe(`Bearer ${fake.state.accessToken}`);
      expect(request.headers['new-api-user']).toBe(String(fake.state.userId));
    }
    const writes = fake.requests.filter((r) => r.method !== 'GET' && !/^\/api\/token\/\d+\/key$/.test(r.path));
    expect(writes).toEqual([]);
  });

  describe('keeps the previous data when a step fails', () => {
    const failures: Array<[string, string, Parameters<FakeNewApi['addFault']>[0]['fault']]> = [
      ['pricing', '/api/pricing', { kind: 'status', status: 500 }],
      ['pricing', '/api/pricing', { kind: 'envelope-error', message: 'pricing is disabled' }],
      ['pricing', '/api/pricing', { kind: 'malformed' }],
      ['pricing', '/api/pricing', { kind: 'empty-json' }],
      ['tokens', '/api/token/', { kind: 'status', status: 502 }],
      ['tokens', '/api/token/', { kind: 'malformed' }],
      ['tokens', '/api/token/', { kind: 'reset' }],
      ['balance', '/api/user/self', { kind: 'hang' }],
      ['balance', '/api/user/self', { kind: 'envelope-error', message: 'Unauthorized, invalid access token' }],
    ];
    it.each(failures)('%s step: %s answering %j', async (step, path, fault) => {
      const before = await storedState(admin, providerId);
      fake.addFault({ path, fault });
      try {
        const { body } = await sync(admin, providerId);
        expect(body.data.ok).toBe(false);
        const result = stepOf(body.data, step);
        expect(result.ok).toBe(false);
        expect(result.error).toMatch(/\w/);
        expect(result.error).not.toContain(fake.state.accessToken);
        expect(stepOf(body.data, 'routes').ok).toBe(true);
      } finally {
        fake.clearFaults();
      }
      expect(await storedState(admin, providerId)).toEqual(before);
      const provider = await api<{ last_sync_result: { ok: boolean } }>(admin, 'GET', `/api/provider/${providerId}`);
      expect(provider.body.data.last_sync_result.ok).toBe(false);
    });

    it('an empty pricing or token list is not believed', async () => {
      const before = await storedState(admin, providerId);
      const { models, tokens } = fake.state;
      fake.update({ models: [], tokens: [] });
      try {
        const { body } = await sync(admin, providerId);
        expect(stepOf(body.data, 'pricing').error).toMatch(/no models/);
        expect(stepOf(body.data, 'tokens').error).toMatch(/no tokens/);
      } finally {
        fake.update({ models, tokens });
      }
      expect(await storedState(admin, providerId)).toEqual(before);
    });

    it('an upstream that is down keeps everything, and the relay keeps its routes', async () => {
      const before = await storedState(admin, providerId);
      const models = admin.app.services.routeTable.current.models;
      const down = await FakeNewApi.start();
      const downUrl = down.url;
      await down.close();
      await api(admin, 'PUT', '/api/provider/', { id: providerId, base_url: downUrl });
      try {
        const { body } = await sync(admin, providerId);
        expect(body.data.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(['pricing', 'tokens', 'balance']);
      } finally {
        await api(admin, 'PUT', '/api/provider/', { id: providerId, base_url: fake.url });
      }
      expect(await storedState(admin, providerId)).toEqual(before);
      expect(admin.app.services.routeTable.current.models).toEqual(models);
    });
  });

  it('follows upstream changes: new models, removed and disabled tokens', async () => {
    fake.state.models.push(fakeModel('gemini-pro', { enable_groups: ['default'] }));
    fake.state.tokens = fake.state.tokens.filter((t) => t.id !== 3);
    fake.state.tokens.find((t) => t.id === 1)!.status = 2;
    fake.state.tokens.push(fakeToken({ id: 9, group: 'default' }));
    const { body } = await sync(admin, providerId);
    expect(body.data.ok).toBe(true);
    expect(stepOf(body.data, 'tokens').counts).toMatchObject({ added: 1, removed: 1, revealed: 1 });
    const state = await storedState(admin, providerId);
    expect(state.tokens.map((t) => t.upstream_token_id)).toEqual([1, 2, 4, 9]);
    const token9 = state.tokens.find((t) => t.upstream_token_id === 9)!.id;
    const token1 = state.tokens.find((t) => t.upstream_token_id === 1)!.id;
    const routes = state.routes.map((r) => `${r.model_name}@${r.provider_token_id}`);
    expect(routes).toEqual(expect.arrayContaining([`gemini-pro@${token9}`, `gpt-4o@${token9}`, `dall-e@${token9}`]));
    expect(state.routes.some((r) => r.provider_token_id === token1)).toBe(false);
    expect(admin.app.services.routeTable.current.models).toContain('gemini-pro');
  });

  it('keeps admin route edits across syncs, while other routes follow the provider', async () => {
    const list = await api<{ items: Array<{ id: number; model_name: string }> }>(
      admin,
      'GET',
      '/api/route/?model=gpt-4o',
    );
    const [edited, other] = list.body.data.items;
    expect(edited && other).toBeTruthy();
    await api(admin, 'PUT', `/api/route/${edited!.id}`, { priority: 50, weight: 3, enabled: false });
    await api(admin, 'PUT', '/api/provider/', { id: providerId, priority: 9, weight: 40 });
    await sync(admin, providerId);
    const after = await storedState(admin, providerId);
    expect(after.routes.find((r) => r.id === edited!.id)).toMatchObject({
      priority: 50,
      weight: 3,
      enabled: 0,
      overridden: 1,
    });
    expect(after.routes.find((r) => r.id === other!.id)).toMatchObject({ priority: 9, weight: 40, enabled: 1 });
  });

  it('never duplicates rows when syncs of one provider run at once', async () => {
    const pricingCalls = fake.requestsTo('GET', '/api/pricing').length;
    const second = await startTestApp(database(), { UPSTREAM_MANAGEMENT_TIMEOUT: '1' });
    try {
      await Promise.all([
        ...[1, 2, 3].map(() => sync(admin, providerId)),
        second.services.sync.sync(providerId),
        second.services.sync.sync(providerId),
      ]);
    } finally {
      await second.close();
    }
    // The three requests to one process share one run; the second process runs its own.
    expect(fake.requestsTo('GET', '/api/pricing').length - pricingCalls).toBe(2);
    const state = await storedState(admin, providerId);
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(state.pricing.map((p) => p.model_name))).toBe(true);
    expect(unique(state.tokens.map((t) => String(t.upstream_token_id)))).toBe(true);
    expect(unique(state.routes.map((r) => `${r.model_name}@${r.provider_token_id}`))).toBe(true);
    const { body } = await sync(admin, providerId);
    expect(body.data.ok).toBe(true);
  });
});
