/** A model's routes as priority tiers, the way the relay uses them (README, "Routing"). */
import type { ModelRoute } from '../../api/providers.js';

export interface Tier {
  priority: number;
  routes: ModelRoute[];
  /** Routes that get traffic: the server gives unusable ones a share of 0. */
  usable: number;
}

/** Routes grouped by priority, highest tier first; inside a tier the biggest share first, then by id. */
export function groupIntoTiers(routes: readonly ModelRoute[]): Tier[] {
  const byPriority = new Map<number, ModelRoute[]>();
  for (const route of routes) {
    const tier = byPriority.get(route.priority);
    if (tier) tier.push(route);
    else byPriority.set(route.priority, [route]);
  }
  return [...byPriority.entries()]
    .sort(([a], [b]) => b - a)
    .map(([priority, members]) => ({
      priority,
      routes: [...members].sort((a, b) => b.share - a.share || a.id - b.id),
      usable: members.filter(isUsable).length,
    }));
}

export function isUsable(route: ModelRoute): boolean {
  return route.enabled && route.share > 0;
}

/** 0.6667 → "66.67%", 1 → "100%", 0 → "0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '—';
  return `${Number((share * 100).toFixed(2))}%`;
}

/** The models whose name contains every space-separated word of the filter, case-insensitively. */
export function filterModels(models: readonly string[], filter: string): string[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...models];
  return models.filter((model) => {
    const name = model.toLowerCase();
    return words.every((word) => name.includes(word));
  });
}

export interface RouteDraft {
  priority: number | null;
  weight: number | null;
}

/** The PUT body for an inline edit: only what changed, or null when nothing did or a value is out of range. */
export function routeEditBody(route: ModelRoute, draft: RouteDraft): { priority?: number; weight?: number } | null {
  const { priority, weight } = draft;
  if (priority === null || !Number.isInteger(priority) || priority < -10_000 || priority > 10_000) return null;
  if (weight === null || !Number.isInteger(weight) || weight < 0 || weight > 10_000) return null;
  const body: { priority?: number; weight?: number } = {};
  if (priority !== route.priority) body.priority = priority;
  if (weight !== route.weight) body.weight = weight;
  return Object.keys(body).length ? body : null;
}
