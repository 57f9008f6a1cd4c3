import type { RouteHealth } from '../domain/route-health.js';
import { tierShares, toTiers } from '../domain/route-selection.js';
import { appError } from '../errors/catalogue.js';
import type { ModelRoutesRepo, RouteListRow } from '../repos/model-routes.js';
import type { RouteBuilder, RouteBuildCounts } from './sync/route-builder.js';

export interface RouteView {
  id: number;
  model_name: string;
  provider_id: number;
  provider_name: string;
  provider_token_id: number;
  token_name: string;
  token_group: string;
  priority: number;
  weight: number;
  enabled: boolean;
  overridden: boolean;
  /** Share of this model's traffic in the route's priority tier; 0 when the route is not usable. */
  share: number;
  updated_at: number;
  /** Route health in this process: resting until (Unix seconds, 0 = not resting), consecutive failures, last error. */
  health: { cooling_until: number; failures: number; last_error: string; last_failure_at: number };
}

export interface RouteChanges {
  priority?: number;
  weight?: number;
  enabled?: boolean;
}

export interface RoutesServiceDeps {
  routes: ModelRoutesRepo;
  routeBuilder: RouteBuilder;
  onRoutesChanged: () => Promise<void>;
  now: () => number;
  health: RouteHealth;
}

export class RoutesService {
  constructor(private readonly deps: RoutesServiceDeps) {}

  async page(query: { model?: string; providerId?: number; offset: number; limit: number }) {
    const { items, total } = await this.deps.routes.page(query);
    const shares = await this.shares([...new Set(items.map((item) => item.model_name))]);
    return {
      items: items.map((row) => toRouteView(row, shares.get(row.id) ?? 0, this.healthOf(row))),
      total,
    };
  }

  models(): Promise<string[]> {
    return this.deps.routes.modelNames();
  }

  /** An admin edit: priority or weight set by hand are kept by every later sync. */
  async update(id: number, changes: RouteChanges): Promise<void> {
    const route = await this.deps.routes.findById(id);
    if (!route) throw appError('NOT_FOUND', `route ${id} not found`);
    const handTuned = changes.priority !== undefined || changes.weight !== undefined;
    await this.deps.routes.update(id, {
      ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
      ...(changes.weight !== undefined ? { weight: changes.weight } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      ...(handTuned ? { overridden: 1 } : {}),
      updated_at: this.deps.now(),
    });
    await this.deps.onRoutesChanged();
  }

  /** Ends a route's rest (or every route's), so it takes traffic again at once. */
  async clearHealth(id?: number): Promise<void> {
    if (id === undefined) return this.deps.health.clear();
    const route = await this.deps.routes.findById(id);
    if (!route) throw appError('NOT_FOUND', `route ${id} not found`);
    this.deps.health.clear({ id: route.id, providerTokenId: route.provider_token_id });
  }

  private healthOf(row: RouteListRow): RouteView['health'] {
    const state = this.deps.health.stateOf({ id: row.id, providerTokenId: row.provider_token_id });
    const resting = state && state.coolingUntil > Date.now();
    return {
      cooling_until: resting ? Math.ceil(state.coolingUntil / 1000) : 0,
      failures: state?.failures ?? 0,
      last_error: state?.lastError ?? '',
      last_failure_at: state ? Math.floor(state.lastFailureAt / 1000) : 0,
    };
  }

  /** Every provider's routes from stored data; no upstream is called. */
  async rebuildAll(): Promise<RouteBuildCounts> {
    const counts = await this.deps.routeBuilder.rebuildAll();
    await this.deps.onRoutesChanged();
    return counts;
  }

  private async shares(models: string[]): Promise<Map<number, number>> {
    const usable = await this.deps.routes.usableForModels(models);
    const shares = new Map<number, number>();
    for (const model of models) {
      for (const tier of toTiers(usable.filter((route) => route.model_name === model))) {
        for (const [id, share] of tierShares(tier)) shares.set(id, Math.round(share * 10_000) / 10_000);
      }
    }
    return shares;
  }
}

function toRouteView(row: RouteListRow, share: number, health: RouteView['health']): RouteView {
  return {
    id: row.id,
    model_name: row.model_name,
    provider_id: row.provider_id,
    provider_name: row.provider_name,
    provider_token_id: row.provider_token_id,
    token_name: row.token_name,
    token_group: row.token_group,
    priority: row.priority,
    weight: row.weight,
    enabled: row.enabled === 1,
    overridden: row.overridden === 1,
    share,
    updated_at: row.updated_at,
    health,
  };
}
