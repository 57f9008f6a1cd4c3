import { expect, it } from 'vitest';
import { buildRouteTable, type RouteProviderSource, type RouteSource, type RouteTokenSource } from './route-table.js';

interface RowPatch {
  model_name?: string;
  priority?: number;
  provider?: Partial<RouteProviderSource>;
  token?: Partial<RouteTokenSource>;
}

const row = (id: number, patch: RowPatch = {}): RouteSource => ({
  id,
  model_name: patch.model_name ?? 'gpt-4o',
  priority: patch.priority ?? 0,
  weight: 10,
  provider: {
    id: 1,
    name: 'A',
    base_url: 'http://a',
    user_group: 'vip',
    group_ratios: '{"default":1,"vip":0.5}',
    balance_usd: null,
    ...patch.provider,
  },
  token: { id, sk_key: `sk-key${id}`, expired_time: -1, group_name: '', ...patch.token },
});

it('groups routes by model into priority tiers and leaves out unusable keys', () => {
  const table = buildRouteTable(
    [
      row(1),
      row(2, { priority: 5 }),
      row(3, { model_name: 'claude' }),
      row(4, { token: { sk_key: '' } }),
      row(5, { token: { expired_time: 100 } }),
      row(6, { token: { expired_time: 10_000 } }),
    ],
    [{ provider_id: 1, model_name: 'claude', quota_type: 0, model_ratio: 1.5, completion_ratio: 5, model_price: 0 }],
    1000,
  );
  expect(table.models).toEqual(['claude', 'gpt-4o']);
  expect(table.byModel.get('gpt-4o')!.map((tier) => tier.map((r) => r.id))).toEqual([[2], [1, 6]]);
  expect(table.byModel.get('claude')![0]![0]).toMatchObject({
    providerName: 'A',
    baseUrl: 'http://a',
    skKey: 'sk-key3',
  });
  expect(Object.isFrozen(table)).toBe(true);
  const claude = table.byModel.get('claude')![0]![0]!;
  expect(claude.groupRatio).toBe(0.5); // the token has no group: the user's group "vip" applies
  expect(claude.price).toEqual({ quotaType: 0, modelRatio: 1.5, completionRatio: 5, modelPrice: 0 });
  expect(table.byModel.get('gpt-4o')![0]![0]!.price).toBeUndefined();
});

it('leaves out providers known to have no funds, when asked', () => {
  const rows = [
    row(1, { provider: { id: 1, balance_usd: 0 } }),
    row(2, { provider: { id: 2, balance_usd: 3.5 } }),
    row(3, { provider: { id: 3 } }),
  ];
  const ids = (skip: boolean) =>
    buildRouteTable(rows, [], 1000, skip)
      .byModel.get('gpt-4o')!
      .flat()
      .map((r) => r.id);
  expect(ids(true)).toEqual([2, 3]);
  expect(ids(false)).toEqual([1, 2, 3]);
});

it('keeps id order inside a tier whatever order the rows come in (SQLite reads them grouped by token)', () => {
  const rows = [row(9), row(3, { priority: 1 }), row(4), row(1, { priority: 1 }), row(2)];
  const table = buildRouteTable(rows, [], 1000);
  expect(table.byModel.get('gpt-4o')!.map((tier) => tier.map((r) => r.id))).toEqual([
    [1, 3],
    [2, 4, 9],
  ]);
});
