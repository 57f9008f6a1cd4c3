import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggTokensRepo } from '../../src/repos/agg-tokens.js';
import {
  AGG_KEY_LENGTH,
  AggTokensService,
  MAX_TOKENS_PER_USER,
  generateAggKey,
} from '../../src/services/agg-tokens.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface TokenView {
  id: number;
  user_id: number;
  name: string;
  key: string;
  status: number;
  expired_time: number;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  created_at: number;
  updated_at: number;
}

interface Reply<T> {
  status: number;
  body: { success: boolean; message: string; code?: string; data: T };
}

const KEY_FORMAT = /^ag-[0-9A-Za-z]{48}$/;

describe('generateAggKey', () => {
  it('makes 48 characters of [0-9A-Za-z], all different, using the whole alphabet', () => {
    const keys = Array.from({ length: 2000 }, generateAggKey);
    for (const key of keys) expect(key).toMatch(/^[0-9A-Za-z]{48}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys.join('')).size).toBe(62);
    expect(AGG_KEY_LENGTH).toBe(48);
  });
});

describeEachDatabase('aggregated tokens API', (database) => {
  let app: TestApp;
  let rootCookie: string;
  const cookies: Record<string, string> = {};
  const userIds: Record<string, number> = {};
  /** Every full key the API handed out, to check none reached the log. */
  const fullKeys: string[] = [];

  async function call<T = TokenView>(who: string, method: Method, url: string, payload?: unknown): Promise<Reply<T>> {
    const cookie = who === 'root' ? rootCookie : cookies[who];
    const response = await app.request({
      method,
      url,
      headers: cookie ? { cookie } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: response.json() };
  }

  async function addUser(username: string, role = 1): Promise<void> {
    const created = await call<{ id: number }>('root', 'POST', '/api/user/', {
      username,
      password: 'password-1',
      role,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    userIds[username] = created.body.data.id;
    cookies[username] = await app.login(username, 'password-1');
  }

  async function create(who: string, payload: Record<string, unknown> = {}): Promise<TokenView> {
    const created = await call(who, 'POST', '/api/agg-token/', payload);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    fullKeys.push(created.body.data.key);
    return created.body.data;
  }

  const storedRows = (userId: number) =>
    app.db.selectFrom('aggregated_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();

  beforeAll(async () => {
    app = await startTestApp(database());
    rootCookie = await app.login('root', '123456');
    for (const name of ['alice', 'bob']) await addUser(name);
    await addUser('boss', 10);
  });
  afterAll(() => app.close());

  it('creates with defaults, answers the full key once, and shows it masked afterwards', async () => {
    const created = await create('alice', { name: 'laptop' });
    expect(created).toMatchObject({
      user_id: userIds.alice,
      name: 'laptop',
      status: 1,
      expired_time: -1,
      model_limits_enabled: false,
      model_limits: '',
      allow_ips: '',
    });
    expect(created.key).toMatch(KEY_FORMAT);
    const raw = created.key.slice(3);
    const [row] = (await storedRows(userIds.alice!)).filter((r) => r.id === created.id);
    expect(row?.key).toBe(raw); // stored without the prefix

    const masked = `ag-${raw.slice(0, 4)}********${raw.slice(-4)}`;
    const list = await call<{ items: TokenView[] }>('alice', 'GET', '/api/agg-token/');
    expect(list.body.data.items.find((t) => t.id === created.id)?.key).toBe(masked);
    const one = await call('alice', 'GET', `/api/agg-token/${created.id}`);
    expect(one.body.data.key).toBe(masked);
    expect(JSON.stringify([list.body, one.body])).not.toContain(raw);

    expect((await create('alice')).name).toBe('default');
  });

  it('hands out well-formed keys that are all different', async () => {
    await addUser('many');
    const keys: string[] = [];
    for (let i = 0; i < 30; i++) keys.push((await create('many', { name: `t${i}` })).key);
    for (const key of keys) expect(key).toMatch(KEY_FORMAT);
    expect(new Set(keys).size).toBe(keys.length);
    const stored = (await storedRows(userIds.many!)).map((r) => `ag-${r.key}`);
    expect(stored.sort()).toEqual([...keys].sort());
  });

  it('reveals the full key to its owner', async () => {
    const created = await create('alice', { name: 'reveal-me' });
    const revealed = await call<{ key: string }>('alice', 'POST', `/api/agg-token/${created.id}/key`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ success: true, message: '', data: { key: created.key } });
    expect((await call('alice', 'POST', '/api/agg-token/999999/key')).status).toBe(404);
  });

  it('updates partially: fields left out keep their values; lists are normalised', async () => {
    const created = await create('alice', {
      name: 'full',
      expired_time: 4_102_444_800,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3',
      allow_ips: '10.0.0.0/8',
    });
    const statusOnly = await call('alice', 'PUT', '/api/agg-token/', { id: created.id, status: 2 });
    expect(statusOnly.status).toBe(200);
    expect(statusOnly.body.data).toMatchObject({
      name: 'full',
      status: 2,
      expired_time: 4_102_444_800,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3',
      allow_ips: '10.0.0.0/8',
    });
    const lists = await call('alice', 'PUT', '/api/agg-token/', {
      id: created.id,
      name: 'renamed',
      expired_time: 0,
      model_limits: ' gpt-4o , ,claude-3,, gpt-4o ',
      allow_ips: ' 192.0.2.0/24 \r\n\n::ffff:198.51.100.7\n2001:DB8::/32\n',
    });
    expect(lists.body.data).toMatchObject({
      name: 'renamed',
      status: 2,
      expired_time: -1, // 0 means never
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3',
      allow_ips: '192.0.2.0/24\n198.51.100.7\n2001:db8::/32',
    });
    expect(lists.body.data.key).not.toContain(created.key.slice(3));
    const cleared = await call('alice', 'PUT', '/api/agg-token/', { id: created.id, allow_ips: '', model_limits: '' });
    expect(cleared.body.data).toMatchObject({ allow_ips: '', model_limits: '', name: 'renamed' });
    const past = await call('alice', 'PUT', '/api/agg-token/', { id: created.id, expired_time: 1 });
    expect(past.body.data.expired_time).toBe(1);
    expect((await call('alice', 'PUT', '/api/agg-token/', { id: 999_999, status: 1 })).status).toBe(404);
  });

  describe('validation names the field', () => {
    it.each([
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ status: 3 }, 'status'],
      [{ status: '1' }, 'status'],
      [{ expired_time: -2 }, 'expired_time'],
      [{ expired_time: 1.5 }, 'expired_time'],
      [{ model_limits_enabled: 'yes' }, 'model_limits_enabled'],
      [{ model_limits: 'm,'.repeat(2049) }, 'model_limits'],
      [{ allow_ips: '10.0.0.1\nnot-an-ip\n10.0.0.2' }, 'allow_ips'],
      [{ allow_ips: '10.0.0.0/33' }, 'allow_ips'],
    ])('refuses %j', async (patch, field) => {
      for (const [method, body] of [
        ['POST', patch],
        ['PUT', { id: 1, ...patch }],
      ] as const) {
        const response = await call('alice', method, '/api/agg-token/', body);
        expect(response.status, method).toBe(400);
        expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
        expect(response.body.message).toContain(`${field}:`);
      }
    });

    it('names the bad allow_ips entry', async () => {
      const response = await call('alice', 'POST', '/api/agg-token/', { allow_ips: '10.0.0.1\n  not-an-ip  \n' });
      expect(response.body.message).toBe('allow_ips: "not-an-ip" is not an IP address or CIDR range');
    });

    it('refuses a bad id', async () => {
      expect((await call('alice', 'GET', '/api/agg-token/abc')).status).toBe(400);
      expect((await call('alice', 'PUT', '/api/agg-token/', { name: 'no id' })).body.message).toContain('id');
    });
  });

  it("hides another user's token: 404 on get, reveal, update and delete, admins included", async () => {
    const bobs = await create('bob', { name: 'bob-only' });
    for (const who of ['alice', 'boss', 'root']) {
      expect((await call(who, 'GET', `/api/agg-token/${bobs.id}`)).status, who).toBe(404);
      expect((await call(who, 'POST', `/api/agg-token/${bobs.id}/key`)).status, who).toBe(404);
      const update = await call(who, 'PUT', '/api/agg-token/', { id: bobs.id, name: 'stolen', status: 2 });
      expect(update.status, who).toBe(404);
      expect(update.body.code).toBe('NOT_FOUND');
      expect((await call(who, 'DELETE', `/api/agg-token/${bobs.id}`)).status, who).toBe(404);
      const list = await call<{ items: TokenView[] }>(who, 'GET', '/api/agg-token/?page_size=100');
      expect(list.body.data.items.map((t) => t.id)).not.toContain(bobs.id);
      expect(JSON.stringify(list.body)).not.toContain(bobs.key.slice(3));
    }
    const after = await call('bob', 'GET', `/api/agg-token/${bobs.id}`);
    expect(after.body.data).toMatchObject({ name: 'bob-only', status: 1 });
  });

  it('pages newest first and filters by name', async () => {
    await addUser('pager');
    for (const name of ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1', 'beta-2']) await create('pager', { name });
    type Page = { items: TokenView[]; total: number; page: number; page_size: number };
    const first = await call<Page>('pager', 'GET', '/api/agg-token/?p=1&page_size=2');
    expect(first.body.data).toMatchObject({ total: 5, page: 1, page_size: 2 });
    expect(first.body.data.items.map((t) => t.name)).toEqual(['beta-2', 'beta-1']);
    const last = await call<Page>('pager', 'GET', '/api/agg-token/?p=3&page_size=2');
    expect(last.body.data.items.map((t) => t.name)).toEqual(['alpha-1']);
    const defaults = await call<Page>('pager', 'GET', '/api/agg-token/');
    expect(defaults.body.data).toMatchObject({ total: 5, page: 1, page_size: 20 });
    const alpha = await call<Page>('pager', 'GET', '/api/agg-token/?keyword=ALPHA&page_size=10');
    expect(alpha.body.data.total).toBe(3);
    expect(alpha.body.data.items.map((t) => t.name)).toEqual(['alpha-3', 'alpha-2', 'alpha-1']);
    const literal = await call<Page>('pager', 'GET', '/api/agg-token/?keyword=%25');
    expect(literal.body.data.total).toBe(0);
    expect((await call('pager', 'GET', '/api/agg-token/?page_size=101')).status).toBe(400);
  });

  it('deletes', async () => {
    const doomed = await create('alice', { name: 'doomed' });
    const deleted = await call<null>('alice', 'DELETE', `/api/agg-token/${doomed.id}`);
    expect(deleted.body).toEqual({ success: true, message: '', data: null });
    expect((await call('alice', 'GET', `/api/agg-token/${doomed.id}`)).status).toBe(404);
    expect((await call('alice', 'DELETE', `/api/agg-token/${doomed.id}`)).status).toBe(404);
    const rows = await app.db.selectFrom('aggregated_tokens').select('id').where('id', '=', doomed.id).execute();
    expect(rows).toEqual([]);
  });

  it(`stops at ${MAX_TOKENS_PER_USER} tokens per user`, async () => {
    await addUser('hoarder');
    const userId = userIds.hoarder!;
    await app.db
      .insertInto('aggregated_tokens')
      .values(
        Array.from({ length: MAX_TOKENS_PER_USER - 1 }, (_, i) => ({
          user_id: userId,
          key: `filler${userId}x${i}`,
          model_limits: '',
          allow_ips: '',
        })),
      )
      .execute();
    const last = await create('hoarder', { name: 'the hundredth' });
    const refused = await call('hoarder', 'POST', '/api/agg-token/', { name: 'one too many' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(refused.body.message).toContain(String(MAX_TOKENS_PER_USER));
    expect(await storedRows(userId)).toHaveLength(MAX_TOKENS_PER_USER);
    await create('bob', { name: 'others are not limited by it' });
    await call('hoarder', 'DELETE', `/api/agg-token/${last.id}`);
    await create('hoarder', { name: 'room again' });
  });

  it('deleting a user deletes their tokens and nobody else’s', async () => {
    await addUser('leaver');
    await create('leaver', { name: 'a' });
    await create('leaver', { name: 'b' });
    const bobBefore = await storedRows(userIds.bob!);
    expect(await storedRows(userIds.leaver!)).toHaveLength(2);
    expect((await call<null>('root', 'DELETE', `/api/user/${userIds.leaver}`)).status).toBe(200);
    expect(await storedRows(userIds.leaver!)).toEqual([]);
    expect(await storedRows(userIds.bob!)).toEqual(bobBefore);
  });

  it('is for logged-in users only', async () => {
    for (const [method, url] of [
      ['GET', '/api/agg-token/'],
      ['POST', '/api/agg-token/'],
      ['POST', '/api/agg-token/1/key'],
      ['PUT', '/api/agg-token/'],
      ['DELETE', '/api/agg-token/1'],
    ] as const) {
      const response = await app.request({ method, url, payload: method === 'GET' ? undefined : {} });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  describe('the service', () => {
    function spyService(generateKey?: () => string) {
      let settled = 0;
      const service = new AggTokensService({
        tokens: new AggTokensRepo(app.db),
        now: () => 1_700_000_000,
        // Resolves a tick later, so a caller that does not await it would return first.
        onChanged: () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              settled++;
              resolve();
            }, 5),
          ),
        ...(generateKey ? { generateKey } : {}),
      });
      return { service, settled: () => settled };
    }

    it('awaits onChanged after every create, update and delete, and only after a change', async () => {
      const { service, settled } = spyService();
      const userId = userIds.bob!;
      const created = await service.create(userId, { name: 'spied' });
      expect(settled()).toBe(1);
      await service.update(userId, created.id, { status: 2 });
      expect(settled()).toBe(2);
      await service.delete(userId, created.id);
      expect(settled()).toBe(3);
      await expect(service.update(userId, created.id, { status: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.delete(userId, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const alicesId = (await storedRows(userIds.alice!))[0]!.id;
      await expect(service.update(userId, alicesId, { name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.reveal(userId, alicesId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.create(userIds.hoarder!, {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(settled()).toBe(3);
    });

    it('retries with a new key on a collision', async () => {
      const taken = (await storedRows(userIds.alice!))[0]!.key;
      const fresh = generateAggKey();
      const sequence = [taken, taken, fresh];
      const { service } = spyService(() => sequence.shift() ?? generateAggKey());
      const created = await service.create(userIds.bob!, { name: 'collided' });
      expect(created.key).toBe(`ag-${fresh}`);
      const always = spyService(() => taken);
      await expect(always.service.create(userIds.bob!, { name: 'never' })).rejects.toThrow();
      await service.delete(userIds.bob!, created.id);
    });
  });

  describe('the repository', () => {
    it('lists every token with its owner’s status and role for the relay', async () => {
      const repo = new AggTokensRepo(app.db);
      await app.db
        .insertInto('aggregated_tokens')
        .values({ user_id: 987_654, key: 'orphan-token-key', model_limits: '', allow_ips: '' })
        .execute();
      await call('root', 'POST', '/api/user/manage', { id: userIds.bob, action: 'disable' });
      const all = await repo.listAllActiveWithUsers();
      const total = await app.db
        .selectFrom('aggregated_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(all).toHaveLength(Number(total.n) - 1); // the orphan has no owner
      expect(all.map((t) => t.key)).not.toContain('orphan-token-key');
      const bobs = all.filter((t) => t.user_id === userIds.bob);
      expect(bobs.length).toBeGreaterThan(0);
      expect(bobs[0]).toMatchObject({ user_status: 2, user_role: 1, status: expect.any(Number) });
      const boss = await create('boss', { name: 'admin token' });
      expect((await repo.listAllActiveWithUsers()).find((t) => t.id === boss.id)).toMatchObject({
        user_status: 1,
        user_role: 10,
        name: 'admin token',
        key: boss.key.slice(3),
      });
      await call('root', 'POST', '/api/user/manage', { id: userIds.bob, action: 'enable' });
      cookies.bob = await app.login('bob', 'password-1'); // disabling ended bob's session
    });

    it('sums a token’s cost over a time range', async () => {
      const repo = new AggTokensRepo(app.db);
      const token = await create('alice', { name: 'billed' });
      await app.db
        .insertInto('usage_logs')
        .values([
          { request_id: 'c1', created_at: 100, aggregated_token_id: token.id, cost_usd: 0.25, error_message: '' },
          { request_id: 'c2', created_at: 200, aggregated_token_id: token.id, cost_usd: 0.5, error_message: '' },
          { request_id: 'c3', created_at: 300, aggregated_token_id: token.id, cost_usd: 1.125, error_message: '' },
          { request_id: 'c4', created_at: 200, aggregated_token_id: token.id + 1000, cost_usd: 9, error_message: '' },
        ])
        .execute();
      expect(await repo.sumCost(token.id)).toBeCloseTo(1.875, 10);
      expect(await repo.sumCost(token.id, 200)).toBeCloseTo(1.625, 10);
      expect(await repo.sumCost(token.id, 100, 300)).toBeCloseTo(0.75, 10);
      expect(await repo.sumCost(token.id, undefined, 200)).toBeCloseTo(0.25, 10);
      expect(await repo.sumCost(token.id, 400)).toBe(0);
      expect(await repo.sumCost(999_999)).toBe(0);
    });
  });

  it('never writes a full key into the log', () => {
    expect(fullKeys.length).toBeGreaterThan(40);
    const joined = app.logs.join('\n');
    for (const key of fullKeys) expect(joined).not.toContain(key.slice(3));
  });
});
