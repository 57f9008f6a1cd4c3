import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeNewApi, fakeModel, fakeToken } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { addProvider, api, type Admin } from './helpers.js';

interface RouteView {
  id: number;
  model_name: string;
  provider_id: number;
  provider_name: string;
  token_name: string;
  token_group: string;
  priority: number;
  weight: number;
  enabled: boolean;
  overridden: boolean;
  share: number;
}
type Page = { items: RouteView[]; total: number; page: number; page_size: number };

describeEachDatabase('route admin API', (database) => {
  let admin: Admin;
  let fakeA: FakeNewApi;
  let fakeB: FakeNewApi;
  let providerA: number;
  let providerB: number;

  beforeAll(async () => {
    fakeA = await FakeNewApi.start({
      models: [fakeModel('gpt-4o'), fakeModel('claude-3')],
      tokens: [fakeToken({ id: 1, name: 'a-key' })],
    });
    fakeB = await FakeNewApi.start({ models: [fakeModel('gpt-4o')], tokens: [fakeToken({ id: 1, name: 'b-key' })] });
    const app = await startTestApp(database());
    admin = { app, cookie: await app.login('root', '123456') };
    providerA = await addProvider(admin, fakeA, { name: 'A', weight: 30 });
    providerB = await addProvider(admin, fakeB, { name: 'B', weight: 0 });
  });
  afterAll(async () => {
    await admin.app.close();
    await Promise.all([fakeA.close(), fakeB.close()]);
  });

  it('lists routes with their provider, token and share of the tier, filtered by model and provider', async () => {
    const gpt = (await api<Page>(admin, 'GET', '/api/route/?model=gpt-4o')).body.data;
    expect(gpt.total).toBe(2);
    const byProvider = Object.fromEntries(gpt.items.map((r) => [r.provider_name, r]));
    expect(byProvider.A).toMatchObject({
      token_name: 'a-key',
      token_group: '',
      weight: 30,
      share: 0.8,
      enabled: true,
    });
    expect(byProvider.B).toMatchObject({ token_name: 'b-key', weight: 0, share: 0.2 });
    const onlyA = (await api<Page>(admin, 'GET', `/api/route/?provider_id=${providerA}`)).body.data;
    expect(onlyA.items.map((r) => r.model_name).sort()).toEqual(['claude-3', 'gpt-4o']);
    const paged = (await api<Page>(admin, 'GET', '/api/route/?page_size=1&p=2')).body.data;
    expect(paged).toMatchObject({ total: 3, page: 2, page_size: 1 });
    expect(paged.items).toHaveLength(1);
  });

  it('lists every routable model name', async () => {
    expect((await api<string[]>(admin, 'GET', '/api/route/models')).body.data).toEqual(['claude-3', 'gpt-4o']);
  });

  it('edits priority, weight and enabled; the relay table follows at once', async () => {
    const gpt = (await api<Page>(admin, 'GET', '/api/route/?model=gpt-4o')).body.data.items;
    const routeB = gpt.find((r) => r.provider_name === 'B')!;
    expect((await api(admin, 'PUT', `/api/route/${routeB.id}`, { priority: 5 })).status).toBe(200);
    let tiers = admin.app.services.routeTable.current.byModel.get('gpt-4o')!;
    expect(tiers.map((tier) => tier.map((r) => r.providerName))).toEqual([['B'], ['A']]);

    await api(admin, 'PUT', `/api/route/${routeB.id}`, { enabled: false });
    tiers = admin.app.services.routeTable.current.byModel.get('gpt-4o')!;
    expect(tiers.map((tier) => tier.map((r) => r.providerName))).toEqual([['A']]);
    const after = (await api<Page>(admin, 'GET', '/api/route/?model=gpt-4o')).body.data.items;
    expect(after.find((r) => r.id === routeB.id)).toMatchObject({
      enabled: false,
      priority: 5,
      overridden: true,
      share: 0,
    });
    expect(after.find((r) => r.provider_name === 'A')).toMatchObject({ share: 1 });
  });

  it('refuses bad edits with the field named', async () => {
    const [route] = (await api<Page>(admin, 'GET', '/api/route/')).body.data.items;
    expect((await api(admin, 'PUT', `/api/route/${route!.id}`, { weight: -1 })).body.message).toContain('weight');
    expect((await api(admin, 'PUT', `/api/route/${route!.id}`, {})).status).toBe(400);
    expect((await api(admin, 'PUT', `/api/route/${route!.id}`, { enabled: 'yes' })).body.message).toContain('enabled');
    expect((await api(admin, 'PUT', '/api/route/999999', { weight: 1 })).status).toBe(404);
  });

  it('rebuilds every provider from stored data without calling any upstream', async () => {
    await admin.app.db.deleteFrom('model_routes').where('provider_id', '=', providerB).execute();
    const calls = fakeA.requests.length + fakeB.requests.length;
    const rebuilt = await api<{ added: number }>(admin, 'POST', '/api/route/rebuild');
    expect(rebuilt.body.data.added).toBe(1);
    expect(fakeA.requests.length + fakeB.requests.length).toBe(calls);
    const tiers = admin.app.services.routeTable.current.byModel.get('gpt-4o')!;
    expect(
      tiers
        .flat()
        .map((r) => r.providerName)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('drops a disabled provider from the relay table and brings it back when enabled', async () => {
    await api(admin, 'PUT', '/api/provider/', { id: providerA, status: 2 });
    expect(admin.app.services.routeTable.current.models).toEqual(['gpt-4o']);
    await api(admin, 'PUT', '/api/provider/', { id: providerA, status: 1 });
    expect(admin.app.services.routeTable.current.models).toEqual(['claude-3', 'gpt-4o']);
  });
});
