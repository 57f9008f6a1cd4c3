import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { FakeNewApi, fakeModel, fakeToken } from '../fake-newapi/index.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachDatabase, type DialectName } from '../helpers/matrix.js';
import { addProvider, api, stepOf, storedState, sync, type Admin } from './helpers.js';

/**
 * What commit 3d679e2 promised: an unchanged sync leaves the relay's route table alone, syncs that run
 * together share one rebuild, each step's writes are all or nothing, and the tokens step counts as
 * `updated` only the tokens that changed.
 */
describeEachDatabase('sync and route table rebuilds', (database, dialect) => {
  let admin: Admin;
  let a: FakeNewApi;
  let b: FakeNewApi;
  let c: FakeNewApi;
  let idA: number;
  let idB: number;
  let idC: number;
  let agKey: string;
  let announce: MockInstance<(topic: 'routes' | 'tokens' | 'options') => Promise<void>>;

  /** How often the route table was told to follow a change since the last reset. */
  const routeRebuilds = () => announce.mock.calls.filter(([topic]) => topic === 'routes').length;
  const table = () => admin.app.services.routeTable.current;
  const routesOf = (model: string) => (table().byModel.get(model) ?? []).flat();
  /** The models the relay lists to a caller. */
  const relayModels = async () => {
    const response = await admin.app.request({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${agKey}` },
    });
    expect(response.statusCode).toBe(200);
    return response
      .json<{ data: Array<{ id: string }> }>()
      .data.map((m) => m.id)
      .sort();
  };

  beforeAll(async () => {
    [a, b, c] = await Promise.all([
      FakeNewApi.start({
        models: [
          fakeModel('alpha-1', { model_ratio: 1, enable_groups: ['default', 'vip'] }),
          fakeModel('alpha-2', { model_ratio: 2, enable_groups: ['default', 'vip'] }),
          fakeModel('alpha-3', { model_ratio: 3, enable_groups: ['default', 'vip'] }),
        ],
        groupRatio: { default: 1, vip: 2 },
        tokens: [fakeToken({ id: 1, group: 'default' }), fakeToken({ id: 2, group: 'default' })],
      }),
      FakeNewApi.start({ models: [fakeModel('beta-1')], tokens: [fakeToken({ id: 1 })] }),
      FakeNewApi.start({ models: [fakeModel('gamma-1')], tokens: [fakeToken({ id: 1 })] }),
    ]);
    const app = await startTestApp(database(), { UPSTREAM_MANAGEMENT_TIMEOUT: '2' });
    admin = { app, cookie: await app.login('root', '123456') };
    idA = await addProvider(admin, a);
    idB = await addProvider(admin, b);
    idC = await addProvider(admin, c);
    const token = await api<{ key: string }>(admin, 'POST', '/api/agg-token/', { name: 'rebuilds' });
    expect(token.status).toBe(200);
    agKey = token.body.data.key;
    announce = vi.spyOn(app.services.changes, 'announce');
  });
  afterAll(async () => {
    announce.mockRestore();
    await admin.app.close();
    await Promise.all([a, b, c].map((fake) => fake.close()));
  });
  beforeEach(() => {
    announce.mockClear();
  });

  describe('an unchanged sync', () => {
    it('does not rebuild the route table, and reports nothing updated', async () => {
      await sync(admin, idA); // settles anything left from the set-up
      announce.mockClear();
      const before = table();
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(stepOf(body.data, 'pricing').counts).toMatchObject({ models: 3, added: 0, updated: 0, removed: 0 });
      expect(stepOf(body.data, 'tokens').counts).toMatchObject({ tokens: 2, added: 0, updated: 0, removed: 0 });
      expect(stepOf(body.data, 'routes').counts).toMatchObject({ added: 0, updated: 0, removed: 0 });
      expect(routeRebuilds()).toBe(0);
      expect(table()).toBe(before); // the very same snapshot: nothing was rebuilt
    });

    it('still stamps every unchanged row with the sync time', async () => {
      const db = admin.app.db;
      await db.updateTable('model_pricings').set({ last_synced_at: 0 }).where('provider_id', '=', idA).execute();
      await db.updateTable('provider_tokens').set({ last_synced_at: 0 }).where('provider_id', '=', idA).execute();
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(stepOf(body.data, 'pricing').counts.updated).toBe(0);
      expect(stepOf(body.data, 'tokens').counts.updated).toBe(0);
      const [pricing, tokens] = await Promise.all([
        db.selectFrom('model_pricings').select('last_synced_at').where('provider_id', '=', idA).execute(),
        db.selectFrom('provider_tokens').select('last_synced_at').where('provider_id', '=', idA).execute(),
      ]);
      expect(pricing).toHaveLength(3);
      expect(tokens).toHaveLength(2);
      for (const row of [...pricing, ...tokens]) expect(row.last_synced_at).toBeGreaterThan(0);
      expect(routeRebuilds()).toBe(0);
    });

    it('does not rebuild for a balance that moved, or token quotas and names that changed', async () => {
      const before = table();
      a.update({ quota: 4_000_000 });
      const token2 = a.state.tokens.find((t) => t.id === 2)!;
      token2.remain_quota = 1234;
      token2.used_quota = 99;
      token2.name = 'renamed';
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(stepOf(body.data, 'tokens').counts).toMatchObject({ updated: 1, added: 0, removed: 0 });
      expect(stepOf(body.data, 'pricing').counts.updated).toBe(0);
      const state = await storedState(admin, idA);
      expect(state.balance).toBe(8);
      expect(state.tokens.find((t) => t.upstream_token_id === 2)).toMatchObject({
        name: 'renamed',
        remain_quota: 1234,
      });
      expect(routeRebuilds()).toBe(0);
      expect(table()).toBe(before);
      // The next sync sees nothing new: the tokens step counts no update at all.
      const again = await sync(admin, idA);
      expect(stepOf(again.body.data, 'tokens').counts.updated).toBe(0);
      expect(routeRebuilds()).toBe(0);
    });
  });

  describe('a sync that changes what the route table reads rebuilds it, and the relay serves the new state', () => {
    it('a changed price', async () => {
      a.state.models.find((m) => m.model_name === 'alpha-2')!.model_ratio = 2.5;
      const { body } = await sync(admin, idA);
      expect(stepOf(body.data, 'pricing').counts).toMatchObject({ updated: 1, added: 0, removed: 0 });
      expect(routeRebuilds()).toBe(1);
      expect(routesOf('alpha-2').map((r) => r.price?.modelRatio)).toEqual([2.5, 2.5]);
    });

    it('a changed group ratio', async () => {
      a.update({ groupRatio: { default: 0.5, vip: 2 } });
      const { body } = await sync(admin, idA);
      expect(stepOf(body.data, 'pricing').counts.updated).toBe(0);
      expect(routeRebuilds()).toBe(1);
      expect(routesOf('alpha-1').map((r) => r.groupRatio)).toEqual([0.5, 0.5]);
    });

    it('a model added, then removed', async () => {
      expect(await relayModels()).not.toContain('alpha-4');
      a.state.models.push(fakeModel('alpha-4', { enable_groups: ['default'] }));
      const added = await sync(admin, idA);
      expect(stepOf(added.body.data, 'pricing').counts.added).toBe(1);
      expect(routeRebuilds()).toBe(1);
      expect(await relayModels()).toContain('alpha-4');

      announce.mockClear();
      a.state.models = a.state.models.filter((m) => m.model_name !== 'alpha-4');
      const removed = await sync(admin, idA);
      expect(stepOf(removed.body.data, 'pricing').counts.removed).toBe(1);
      expect(routeRebuilds()).toBe(1);
      expect(await relayModels()).not.toContain('alpha-4');
      const call = await admin.app.request({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${agKey}` },
        payload: { model: 'alpha-4', messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(call.statusCode).toBe(503);
    });

    it('a token disabled, then enabled again', async () => {
      const stored = await storedState(admin, idA);
      const token1 = stored.tokens.find((t) => t.upstream_token_id === 1)!.id;
      expect(routesOf('alpha-1').map((r) => r.providerTokenId)).toContain(token1);
      a.state.tokens.find((t) => t.id === 1)!.status = 2;
      const disabled = await sync(admin, idA);
      expect(stepOf(disabled.body.data, 'tokens').counts).toMatchObject({ updated: 1, added: 0, removed: 0 });
      expect(routeRebuilds()).toBe(1);
      expect(routesOf('alpha-1').map((r) => r.providerTokenId)).not.toContain(token1);
      expect(routesOf('alpha-1')).toHaveLength(1);

      announce.mockClear();
      a.state.tokens.find((t) => t.id === 1)!.status = 1;
      await sync(admin, idA);
      expect(routeRebuilds()).toBe(1);
      expect(routesOf('alpha-1').map((r) => r.providerTokenId)).toContain(token1);
    });

    it('a token moved to another group', async () => {
      a.state.tokens.find((t) => t.id === 2)!.group = 'vip';
      const { body } = await sync(admin, idA);
      expect(stepOf(body.data, 'tokens').counts.updated).toBe(1);
      expect(routeRebuilds()).toBe(1);
      expect(
        routesOf('alpha-1')
          .map((r) => r.groupRatio)
          .sort(),
      ).toEqual([0.5, 2]);
    });

    it('a balance that runs dry, then is topped up', async () => {
      const providers = () => new Set(routesOf('alpha-1').map((r) => r.providerId));
      expect(providers()).toEqual(new Set([idA]));
      a.update({ quota: 0 });
      await sync(admin, idA);
      expect(routeRebuilds()).toBe(1);
      expect(routesOf('alpha-1')).toEqual([]); // SkipDepletedProviders is on by default
      expect(await relayModels()).not.toContain('alpha-1');

      announce.mockClear();
      a.update({ quota: 0 }); // still dry: nothing to rebuild
      await sync(admin, idA);
      expect(routeRebuilds()).toBe(0);

      a.update({ quota: 5_000_000 });
      await sync(admin, idA);
      expect(routeRebuilds()).toBe(1);
      expect(providers()).toEqual(new Set([idA]));
      expect(await relayModels()).toContain('alpha-1');
    });
  });

  describe('syncs running together share rebuilds', () => {
    const bump = (fake: FakeNewApi, model: string) =>
      fake.state.models.push(fakeModel(model, { enable_groups: ['default', 'vip'] }));

    it('a scheduled pass rebuilds once, at its end, and the table holds every provider’s change', async () => {
      bump(a, 'pass-a');
      bump(b, 'pass-b');
      bump(c, 'pass-c');
      const reports = await admin.app.services.sync.syncAll(3);
      expect(reports).toHaveLength(3);
      expect(reports.every((r) => r.ok)).toBe(true);
      expect(routeRebuilds()).toBe(1);
      expect(table().models).toEqual(expect.arrayContaining(['pass-a', 'pass-b', 'pass-c']));
      expect(await relayModels()).toEqual(expect.arrayContaining(['pass-a', 'pass-b', 'pass-c']));
    });

    it('a pass one provider at a time still rebuilds once', async () => {
      bump(a, 'serial-a');
      bump(c, 'serial-c');
      const reports = await admin.app.services.sync.syncAll(1);
      expect(reports).toHaveLength(3);
      expect(routeRebuilds()).toBe(1);
      expect(table().models).toEqual(expect.arrayContaining(['serial-a', 'serial-c']));
    });

    it('a pass that changes nothing does not rebuild', async () => {
      const before = table();
      const reports = await admin.app.services.sync.syncAll(3);
      expect(reports).toHaveLength(3);
      expect(routeRebuilds()).toBe(0);
      expect(table()).toBe(before);
    });

    it('syncs started over the API at once share a rebuild', async () => {
      bump(a, 'api-a');
      bump(b, 'api-b');
      bump(c, 'api-c');
      // Each upstream answers its first call a little late, so that the three syncs surely overlap.
      for (const fake of [a, b, c]) fake.addFault({ path: '/api/pricing', fault: { kind: 'delay', ms: 50 }, times: 1 });
      const results = await Promise.all([idA, idB, idC].map((id) => sync(admin, id)));
      expect(results.every((r) => r.body.data.ok)).toBe(true);
      expect(routeRebuilds()).toBe(1);
      // Every sync answered once the table held what it wrote.
      expect(table().models).toEqual(expect.arrayContaining(['api-a', 'api-b', 'api-c']));
    });

    it('two changed syncs over the API share one rebuild', async () => {
      bump(a, 'pair-a');
      bump(b, 'pair-b');
      for (const fake of [a, b]) fake.addFault({ path: '/api/pricing', fault: { kind: 'delay', ms: 50 }, times: 1 });
      await Promise.all([sync(admin, idA), sync(admin, idB)]);
      expect(routeRebuilds()).toBe(1);
      expect(table().models).toEqual(expect.arrayContaining(['pair-a', 'pair-b']));
    });

    it('a changed sync does not wait for the rebuild of an unchanged one, nor skip its own', async () => {
      bump(b, 'mixed-b');
      a.addFault({ path: '/api/pricing', fault: { kind: 'delay', ms: 50 }, times: 1 });
      const [unchanged, changed] = await Promise.all([sync(admin, idA), sync(admin, idB)]);
      expect(unchanged.body.data.ok && changed.body.data.ok).toBe(true);
      expect(routeRebuilds()).toBe(1);
      expect(table().models).toContain('mixed-b');
    });
  });

  describe('each step writes all or nothing', () => {
    /** Makes the database refuse to insert one row into `table`, as a constraint or a full disk would. */
    async function refuseInsert(table: string, column: string, value: string | number) {
      const db = admin.app.db;
      const literal = typeof value === 'number' ? String(value) : `'${value}'`;
      if (dialectIs('sqlite')) {
        await sql
          .raw(
            `CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} WHEN NEW.${column} = ${literal} ` +
              `BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
          )
          .execute(db);
      } else if (dialectIs('mysql')) {
        await sql
          .raw(
            `CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} FOR EACH ROW BEGIN ` +
              `IF NEW.${column} = ${literal} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; ` +
              `END IF; END`,
          )
          .execute(db);
      } else {
        await sql
          .raw(
            `CREATE FUNCTION refuse_${table}() RETURNS trigger AS $$ BEGIN ` +
              `IF NEW.${column} = ${literal} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END ` +
              `$$ LANGUAGE plpgsql`,
          )
          .execute(db);
        await sql
          .raw(
            `CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_${table}()`,
          )
          .execute(db);
      }
      return async () => {
        if (dialectIs('postgres')) {
          await sql.raw(`DROP TRIGGER refuse_${table} ON ${table}`).execute(db);
          await sql.raw(`DROP FUNCTION refuse_${table}()`).execute(db);
        } else {
          await sql.raw(`DROP TRIGGER refuse_${table}`).execute(db);
        }
      };
    }
    const dialectIs = (name: DialectName) => dialect === name;

    it('pricing: a price change and a removal are undone when an insert fails', async () => {
      const before = await storedState(admin, idA);
      const models = structuredClone(a.state.models);
      a.state.models.find((m) => m.model_name === 'alpha-1')!.model_ratio = 7; // an update
      a.state.models = a.state.models.filter((m) => m.model_name !== 'alpha-3'); // a delete
      a.state.models.push(fakeModel('refused-model')); // an insert the database refuses
      a.update({ groupRatio: { default: 3, vip: 2 } });
      const drop = await refuseInsert('model_pricings', 'model_name', 'refused-model');
      try {
        const { body } = await sync(admin, idA);
        expect(body.data.ok).toBe(false);
        expect(stepOf(body.data, 'pricing').ok).toBe(false);
        expect(stepOf(body.data, 'tokens').ok).toBe(true);
        expect(stepOf(body.data, 'routes').ok).toBe(true);
        expect(await storedState(admin, idA)).toEqual(before);
        expect(routesOf('alpha-1')[0]?.price?.modelRatio).toBe(1);
        expect(table().models).toContain('alpha-3');
      } finally {
        await drop();
      }
      // Once the database accepts it, the same sync goes through whole.
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(stepOf(body.data, 'pricing').counts).toMatchObject({ added: 1, updated: 1, removed: 1 });
      expect(table().models).toEqual(expect.arrayContaining(['refused-model']));
      expect(table().models).not.toContain('alpha-3');
      expect(routesOf('alpha-1')[0]?.price?.modelRatio).toBe(7);
      a.update({ models, groupRatio: { default: 0.5, vip: 2 } });
      await sync(admin, idA);
    });

    it('tokens: an update and a removal (with its routes) are undone when an insert fails', async () => {
      const before = await storedState(admin, idA);
      const tokens = structuredClone(a.state.tokens);
      a.state.tokens.find((t) => t.id === 1)!.group = 'vip'; // an update
      a.state.tokens = a.state.tokens.filter((t) => t.id !== 2); // a delete, with its routes
      a.state.tokens.push(fakeToken({ id: 666 })); // an insert the database refuses
      const drop = await refuseInsert('provider_tokens', 'upstream_token_id', 666);
      try {
        const { body } = await sync(admin, idA);
        expect(body.data.ok).toBe(false);
        expect(stepOf(body.data, 'tokens').ok).toBe(false);
        expect(stepOf(body.data, 'pricing').ok).toBe(true);
        expect(stepOf(body.data, 'routes').ok).toBe(true);
        expect(await storedState(admin, idA)).toEqual(before);
      } finally {
        await drop();
      }
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(stepOf(body.data, 'tokens').counts).toMatchObject({ added: 1, updated: 1, removed: 1 });
      a.update({ tokens });
      await sync(admin, idA);
    });

    it('routes: removals are undone when an insert fails', async () => {
      const before = await storedState(admin, idA);
      const models = structuredClone(a.state.models);
      a.state.models = a.state.models.filter((m) => m.model_name !== 'alpha-3'); // its routes go
      a.state.models.push(fakeModel('refused-route', { enable_groups: ['default', 'vip'] }));
      const drop = await refuseInsert('model_routes', 'model_name', 'refused-route');
      try {
        const { body } = await sync(admin, idA);
        expect(stepOf(body.data, 'pricing').ok).toBe(true);
        expect(stepOf(body.data, 'routes').ok).toBe(false);
        expect((await storedState(admin, idA)).routes).toEqual(before.routes);
      } finally {
        await drop();
      }
      const { body } = await sync(admin, idA);
      expect(body.data.ok).toBe(true);
      expect(table().models).toContain('refused-route');
      expect(table().models).not.toContain('alpha-3');
      a.update({ models });
      await sync(admin, idA);
    });

    it('garbage from the upstream half-way through the token pages changes nothing', async () => {
      // More tokens than one page holds, so the step reads a second page.
      const tokens = structuredClone(a.state.tokens);
      a.update({
        tokens: [...tokens, ...Array.from({ length: 100 }, (_, i) => fakeToken({ id: 1000 + i, status: 2 }))],
      });
      await sync(admin, idA);
      const before = await storedState(admin, idA);
      expect(before.tokens.length).toBeGreaterThan(100);
      a.state.tokens.find((t) => t.id === 1)!.group = 'vip';
      a.state.tokens = a.state.tokens.filter((t) => t.id !== 1000);
      const pages = a.requestsTo('GET', '/api/token/').length;
      // The first page answers (the first rule only delays it, then is used up); the second is garbage.
      a.addFault({ path: '/api/token/', fault: { kind: 'delay', ms: 0 }, times: 1 });
      a.addFault({ path: '/api/token/', fault: { kind: 'malformed' }, times: 1 });
      try {
        const { body } = await sync(admin, idA);
        expect(stepOf(body.data, 'tokens').ok).toBe(false);
      } finally {
        a.clearFaults();
      }
      expect(a.requestsTo('GET', '/api/token/').length - pages).toBe(2);
      expect(await storedState(admin, idA)).toEqual(before);
      a.update({ tokens });
      await sync(admin, idA);
    });
  });
});
