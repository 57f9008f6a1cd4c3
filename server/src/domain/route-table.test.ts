import { expect, it } from 'vitest';
import { buildRouteTable, type RouteSource } from './route-table.js';

const row = (id: number, patch: Partial<RouteSource> = {}): RouteSource => ({
  id,
  model_name: 'gpt-4o',
  priority: 0,
  weight: 10,
  provider_id: 1,
  provider_name: 'A',
  base_url: 'http://a',
  provider_token_id: id,
  sk_key: `sk-key${id}`,
  token_expired_time: -1,
  ...patch,
});

it('groups routes by model into priority tiers and leaves out unusable keys', () => {
  const table = buildRouteTable(
    [
      row(1),
      row(2, { priority: 5 }),
      row(3, { model_name: 'claude' }),
      row(4, { sk_key: '' }),
      row(5, { token_expired_time: 100 }),
      row(6, { token_expired_time: 10_000 }),
    ],
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
});
