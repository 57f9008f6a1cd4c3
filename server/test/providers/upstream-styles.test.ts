import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeNewApi, fakeModel, fakeToken } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { addProvider, sync, stepOf, type Admin } from './helpers.js';

/** Token lists of both NewAPI generations, paged past one page, masked and not. */
describeEachDatabase('token lists of every upstream generation', (database) => {
  let admin: Admin;
  const fakes: FakeNewApi[] = [];
  const tokens = (count: number) => Array.from({ length: count }, (_, i) => fakeToken({ id: i + 1 }));

  beforeAll(async () => {
    const app = await startTestApp(database());
    admin = { app, cookie: await app.login('root', '123456') };
  });
  afterAll(async () => {
    await admin.app.close();
    await Promise.all(fakes.map((fake) => fake.close()));
  });

  const start = async (options: Parameters<typeof FakeNewApi.start>[0]) => {
    const fake = await FakeNewApi.start({ models: [fakeModel('gpt-4o')], ...options });
    fakes.push(fake);
    return fake;
  };

  const storedUpstreamIds = async (providerId: number) =>
    (
      await admin.app.db
        .selectFrom('provider_tokens')
        .select('upstream_token_id')
        .where('provider_id', '=', providerId)
        .orderBy('upstream_token_id')
        .execute()
    ).map((row) => row.upstream_token_id);

  it('reads every page of the old 0-based array style', async () => {
    const fake = await start({ tokenListStyle: 'legacy-array', maskKeys: false, tokens: tokens(230) });
    const id = await addProvider(admin, fake);
    expect(await storedUpstreamIds(id)).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    expect(fake.requestsTo('GET', '/api/token/').map((r) => r.query.p)).toEqual(['0', '1', '2']);
    expect(fake.requestsTo('POST', /\/key$/)).toHaveLength(0); // keys came in full
  });

  it('reads every page of the new paged style, revealing masked keys', async () => {
    const fake = await start({ tokenListStyle: 'paged', maskKeys: true, tokens: tokens(120) });
    const id = await addProvider(admin, fake);
    expect(await storedUpstreamIds(id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const pages = fake.requestsTo('GET', '/api/token/').map((r) => r.query.p);
    expect(pages).toEqual(['0', '2']);
    expect(fake.requestsTo('POST', /\/key$/)).toHaveLength(120);
    const keys = await admin.app.db
      .selectFrom('provider_tokens')
      .select('sk_key')
      .where('provider_id', '=', id)
      .execute();
    expect(keys.every((row) => /^sk-[0-9A-Za-z]{48}$/.test(row.sk_key))).toBe(true);
  });

  it('keeps a token whose key cannot be revealed out of the routes, and says why', async () => {
    const fake = await start({ tokens: tokens(2) });
    fake.addFault({ method: 'POST', path: '/api/token/2/key', fault: { kind: 'status', status: 429 } });
    const id = await addProvider(admin, fake, { name: 'reveal-fails' });
    const { body } = await sync(admin, id);
    const step = stepOf(body.data, 'tokens');
    expect(step.ok).toBe(false);
    expect(step.error).toMatch(/reveal 1 key/);
    const routes = await admin.app.db
      .selectFrom('model_routes as r')
      .innerJoin('provider_tokens as t', 't.id', 'r.provider_token_id')
      .select('t.upstream_token_id')
      .where('r.provider_id', '=', id)
      .execute();
    expect(routes.map((r) => r.upstream_token_id)).toEqual([1]);
  });

  it('uses quota_per_unit from /api/status, and 500000 when it is absent', async () => {
    const custom = await start({ quota: 1_000_000, quotaPerUnit: 100_000 });
    const absent = await start({ quota: 1_000_000, quotaPerUnit: null });
    const [a, b] = [await addProvider(admin, custom), await addProvider(admin, absent)];
    const balances = await admin.app.db
      .selectFrom('providers')
      .select(['id', 'balance_usd'])
      .where('id', 'in', [a, b])
      .execute();
    expect(Object.fromEntries(balances.map((row) => [row.id, row.balance_usd]))).toEqual({ [a]: 10, [b]: 2 });
  });
});
