import { describe, expect, it } from 'vitest';
import { diffRoutes, plannedRoutes, type PlanPricing, type PlanProvider, type PlanToken } from './route-plan.js';

const provider: PlanProvider = { priority: 5, weight: 20, userGroup: 'vip', autoGroups: ['default', 'cheap'] };
const token = (id: number, patch: Partial<PlanToken> = {}): PlanToken => ({
  id,
  group: 'default',
  status: 1,
  expiredTime: -1,
  hasKey: true,
  modelLimitsEnabled: false,
  modelLimits: '',
  ...patch,
});
const pricings: PlanPricing[] = [
  { modelName: 'gpt-4o', enableGroups: ['default', 'vip'] },
  { modelName: 'claude', enableGroups: ['vip'] },
  { modelName: 'cheap-model', enableGroups: ['cheap'] },
  { modelName: 'nobody', enableGroups: [] },
];
const NOW = 1_800_000_000;
const models = (routes: Array<{ model_name: string; provider_token_id: number }>, tokenId: number) =>
  routes
    .filter((r) => r.provider_token_id === tokenId)
    .map((r) => r.model_name)
    .sort();

describe('plannedRoutes', () => {
  it("routes each usable token to the models its group may use, with an empty group meaning the user's", () => {
    const routes = plannedRoutes(
      provider,
      [token(1), token(2, { group: '' }), token(3, { group: 'auto' })],
      pricings,
      NOW,
    );
    expect(models(routes, 1)).toEqual(['gpt-4o']);
    expect(models(routes, 2)).toEqual(['claude', 'gpt-4o']);
    expect(models(routes, 3)).toEqual(['cheap-model', 'gpt-4o']);
  });

  it('skips disabled, expired and keyless tokens, and keeps unexpired ones', () => {
    const routes = plannedRoutes(
      provider,
      [
        token(1, { status: 2 }),
        token(2, { expiredTime: NOW - 1 }),
        token(3, { hasKey: false }),
        token(4, { status: 4 }),
        token(5, { expiredTime: NOW + 60 }),
      ],
      pricings,
      NOW,
    );
    expect(routes).toEqual([{ model_name: 'gpt-4o', provider_token_id: 5 }]);
  });

  it("honours the token's model limits only when they are enabled", () => {
    const limited = token(1, { group: 'vip', modelLimitsEnabled: true, modelLimits: 'claude, other' });
    const ignored = token(2, { group: 'vip', modelLimitsEnabled: false, modelLimits: 'claude' });
    const routes = plannedRoutes(provider, [limited, ignored], pricings, NOW);
    expect(models(routes, 1)).toEqual(['claude']);
    expect(models(routes, 2)).toEqual(['claude', 'gpt-4o']);
  });
});

describe('diffRoutes', () => {
  const planned = [
    { model_name: 'a', provider_token_id: 1 },
    { model_name: 'b', provider_token_id: 1 },
    { model_name: 'c', provider_token_id: 2 },
  ];

  it('inserts new routes with the provider priority and weight, deletes gone ones', () => {
    const changes = diffRoutes(provider, planned, [
      { id: 10, model_name: 'a', provider_token_id: 1, priority: 5, weight: 20, overridden: 0 },
      { id: 11, model_name: 'gone', provider_token_id: 1, priority: 5, weight: 20, overridden: 0 },
    ]);
    expect(changes.insert).toEqual([
      { model_name: 'b', provider_token_id: 1, priority: 5, weight: 20 },
      { model_name: 'c', provider_token_id: 2, priority: 5, weight: 20 },
    ]);
    expect(changes.update).toEqual([]);
    expect(changes.delete).toEqual([11]);
  });

  it('follows provider changes except on routes an admin edited', () => {
    const changes = diffRoutes(provider, planned.slice(0, 2), [
      { id: 10, model_name: 'a', provider_token_id: 1, priority: 0, weight: 10, overridden: 0 },
      { id: 12, model_name: 'b', provider_token_id: 1, priority: 99, weight: 1, overridden: 1 },
    ]);
    expect(changes).toEqual({ insert: [], update: [{ id: 10, priority: 5, weight: 20 }], delete: [] });
  });

  it('plans nothing twice', () => {
    const changes = diffRoutes(provider, [...planned, ...planned], []);
    expect(changes.insert).toHaveLength(3);
  });
});
