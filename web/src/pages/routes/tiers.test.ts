import { describe, expect, it } from 'vitest';
import type { ModelRoute } from '../../api/providers.js';
import { filterModels, formatShare, groupIntoTiers, routeEditBody } from './tiers.js';

const route = (id: number, priority: number, share: number, enabled = true): ModelRoute => ({
  id,
  model_name: 'gpt-4o',
  provider_id: id,
  provider_name: `P${id}`,
  provider_token_id: id,
  token_name: 'main',
  token_group: '',
  priority,
  weight: 10,
  enabled,
  overridden: false,
  health: { cooling_until: 0, failures: 0, last_error: '', last_failure_at: 0 },
  share,
  updated_at: 0,
});

describe('groupIntoTiers', () => {
  it('groups by priority, highest first, biggest share first', () => {
    const tiers = groupIntoTiers([route(1, 0, 0.25), route(2, 5, 1), route(3, 0, 0.75), route(4, -1, 0, false)]);
    expect(tiers.map((tier) => tier.priority)).toEqual([5, 0, -1]);
    expect(tiers[1]?.routes.map((r) => r.id)).toEqual([3, 1]);
    expect(tiers.map((tier) => tier.usable)).toEqual([1, 2, 0]);
  });

  it('orders equal shares by id and counts unusable routes out', () => {
    const tiers = groupIntoTiers([route(9, 1, 0), route(2, 1, 0.5), route(5, 1, 0.5)]);
    expect(tiers).toHaveLength(1);
    expect(tiers[0]?.routes.map((r) => r.id)).toEqual([2, 5, 9]);
    expect(tiers[0]?.usable).toBe(2);
  });

  it('is empty for no routes', () => {
    expect(groupIntoTiers([])).toEqual([]);
  });
});

describe('formatShare', () => {
  it.each([
    [0.6667, '66.67%'],
    [1, '100%'],
    [0.5, '50%'],
    [0, '0%'],
    [0.3333, '33.33%'],
    [Number.NaN, '—'],
  ])('%s → %s', (share, text) => expect(formatShare(share)).toBe(text));
});

describe('filterModels', () => {
  const models = ['claude-sonnet-4', 'gpt-4o', 'gpt-4o-mini', 'gemini-2.5-flash'];
  it('matches every word, case-insensitively', () => {
    expect(filterModels(models, 'GPT mini')).toEqual(['gpt-4o-mini']);
    expect(filterModels(models, '4o')).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(filterModels(models, '  ')).toEqual(models);
    expect(filterModels(models, 'llama')).toEqual([]);
  });
});

describe('routeEditBody', () => {
  const base = { ...route(1, 0, 1), weight: 10 };
  it('sends only what changed', () => {
    expect(routeEditBody(base, { priority: 3, weight: 10 })).toEqual({ priority: 3 });
    expect(routeEditBody(base, { priority: 0, weight: 40 })).toEqual({ weight: 40 });
    expect(routeEditBody(base, { priority: 1, weight: 0 })).toEqual({ priority: 1, weight: 0 });
  });

  it('sends nothing for no change or a bad value', () => {
    expect(routeEditBody(base, { priority: 0, weight: 10 })).toBeNull();
    expect(routeEditBody(base, { priority: null, weight: 10 })).toBeNull();
    expect(routeEditBody(base, { priority: 0, weight: -1 })).toBeNull();
    expect(routeEditBody(base, { priority: 20_000, weight: 10 })).toBeNull();
    expect(routeEditBody(base, { priority: 0, weight: 1.5 })).toBeNull();
  });
});
