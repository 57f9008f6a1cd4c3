import { describe, expect, it } from 'vitest';
import { pickRoute, tierShares, toTiers, type Weighted } from './route-selection.js';

/** A small deterministic PRNG (mulberry32), so the distribution tests are repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const route = (id: number, priority: number, weight: number): Weighted => ({ id, priority, weight });

describe('toTiers', () => {
  it('groups by priority, highest first, keeping order inside a tier', () => {
    const tiers = toTiers([route(1, 0, 5), route(2, 10, 1), route(3, 0, 1), route(4, -5, 0), route(5, 10, 9)]);
    expect(tiers.map((tier) => tier.map((r) => r.id))).toEqual([[2, 5], [1, 3], [4]]);
  });

  it('gives no tiers for no routes', () => {
    expect(toTiers([])).toEqual([]);
  });
});

describe('pickRoute', () => {
  const tiers = toTiers([route(1, 10, 0), route(2, 10, 30), route(3, 5, 10), route(4, 0, 10)]);

  it('draws in proportion to weight + 10 inside the first tier', () => {
    const random = seeded(42);
    const draws = 20_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const picked = pickRoute(tiers, 0, new Set(), random)!;
      counts.set(picked.id, (counts.get(picked.id) ?? 0) + 1);
    }
    // Expected shares: (0+10)/50 = 0.2 and (30+10)/50 = 0.8; no other tier is touched.
    expect([...counts.keys()].sort()).toEqual([1, 2]);
    expect(Math.abs(counts.get(1)! / draws - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(counts.get(2)! / draws - 0.8)).toBeLessThan(0.015);
  });

  it('uses tier k for attempt k, clamped at the lowest', () => {
    const random = seeded(7);
    expect(pickRoute(tiers, 1, new Set(), random)!.id).toBe(3);
    expect(pickRoute(tiers, 2, new Set(), random)!.id).toBe(4);
    expect(pickRoute(tiers, 9, new Set(), random)!.id).toBe(4);
  });

  it('never returns a route already tried, moving down and then up the tiers', () => {
    const random = seeded(1);
    expect(pickRoute(tiers, 0, new Set([1]), random)!.id).toBe(2);
    expect(pickRoute(tiers, 0, new Set([1, 2]), random)!.id).toBe(3);
    expect(pickRoute(tiers, 2, new Set([4]), random)!.id).toBe(3);
    expect(pickRoute(tiers, 2, new Set([3, 4]), random)!.id).toBeOneOf([1, 2]);
    expect(pickRoute(tiers, 0, new Set([1, 2, 3, 4]), random)).toBeUndefined();
  });

  it('returns nothing when there are no routes, and treats a negative weight as 0', () => {
    expect(pickRoute([], 0, new Set())).toBeUndefined();
    const lone = toTiers([route(9, 0, -50)]);
    expect(pickRoute(lone, 0, new Set(), () => 0.999999)!.id).toBe(9);
  });

  it('maps the edges of the random range onto the first and last route', () => {
    expect(pickRoute(tiers, 0, new Set(), () => 0)!.id).toBe(1);
    expect(pickRoute(tiers, 0, new Set(), () => 0.9999999999)!.id).toBe(2);
    // 10 / 50 = 0.2 is the boundary: just below picks route 1, at it picks route 2.
    expect(pickRoute(tiers, 0, new Set(), () => 0.1999)!.id).toBe(1);
    expect(pickRoute(tiers, 0, new Set(), () => 0.2)!.id).toBe(2);
  });
});

describe('tierShares', () => {
  it('gives each route its share of the tier', () => {
    const shares = tierShares([route(1, 0, 0), route(2, 0, 30)]);
    expect(shares.get(1)).toBeCloseTo(0.2);
    expect(shares.get(2)).toBeCloseTo(0.8);
  });
});
