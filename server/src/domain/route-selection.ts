/**
 * Route choice, the NewAPI `ability.go` rule the seed names: candidates are grouped into priority
 * tiers (highest first); attempt k draws from tier k, clamped at the lowest; inside a tier a route
 * is drawn with probability (weight + 10) / Σ(weight + 10), so a weight-0 route still gets traffic.
 */
export interface Weighted {
  id: number;
  priority: number;
  weight: number;
}

/** Per-route smoothing from NewAPI: small weights flatten, weight 0 stays eligible. */
export const WEIGHT_SMOOTHING = 10;

/** Groups routes by priority, highest tier first; order inside a tier is kept. */
export function toTiers<T extends Weighted>(routes: readonly T[]): T[][] {
  const byPriority = new Map<number, T[]>();
  for (const route of routes) {
    const tier = byPriority.get(route.priority);
    if (tier) tier.push(route);
    else byPriority.set(route.priority, [route]);
  }
  return [...byPriority.entries()].sort(([a], [b]) => b - a).map(([, tier]) => tier);
}

/**
 * The route for attempt `attempt` (0 = first try). Routes in `tried` are never returned; when the
 * attempt's tier has none left, the next lower tiers are searched, then the higher ones, so a
 * retry always finds an untried route while one exists. `random` returns a number in [0, 1).
 */
export function pickRoute<T extends Weighted>(
  tiers: readonly (readonly T[])[],
  attempt: number,
  tried: ReadonlySet<number>,
  random: () => number = Math.random,
): T | undefined {
  if (tiers.length === 0) return undefined;
  const start = Math.min(Math.max(attempt, 0), tiers.length - 1);
  const order = [...range(start, tiers.length), ...range(0, start).reverse()];
  for (const index of order) {
    const candidates = (tiers[index] ?? []).filter((route) => !tried.has(route.id));
    if (candidates.length > 0) return drawWeighted(candidates, random);
  }
  return undefined;
}

function drawWeighted<T extends Weighted>(candidates: readonly T[], random: () => number): T {
  const effective = (route: T) => Math.max(route.weight, 0) + WEIGHT_SMOOTHING;
  const total = candidates.reduce((sum, route) => sum + effective(route), 0);
  let point = random() * total;
  for (const route of candidates) {
    point -= effective(route);
    if (point < 0) return route;
  }
  return candidates[candidates.length - 1]!; // random() just under 1 with float rounding
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);
}

/** The share of traffic each route of a tier receives, for the routes page. */
export function tierShares<T extends Weighted>(tier: readonly T[]): Map<number, number> {
  const total = tier.reduce((sum, route) => sum + Math.max(route.weight, 0) + WEIGHT_SMOOTHING, 0);
  return new Map(tier.map((route) => [route.id, (Math.max(route.weight, 0) + WEIGHT_SMOOTHING) / total]));
}
