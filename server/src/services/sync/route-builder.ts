import { diffRoutes, plannedRoutes, type PlanProvider } from '../../domain/route-plan.js';
import type { ModelPricingsRepo } from '../../repos/model-pricings.js';
import type { ModelRoutesRepo } from '../../repos/model-routes.js';
import type { ProviderTokensRepo } from '../../repos/provider-tokens.js';
import type { ProviderRow, ProvidersRepo } from '../../repos/providers.js';

export interface RouteBuilderDeps {
  providers: ProvidersRepo;
  tokens: ProviderTokensRepo;
  pricings: ModelPricingsRepo;
  routes: ModelRoutesRepo;
  now: () => number;
}

export interface RouteBuildCounts {
  routes: number;
  added: number;
  updated: number;
  removed: number;
}

/**
 * Step 4, and the rebuild endpoint: a provider's routes from its stored pricing and tokens. It
 * reads no upstream, so it can run at any time and never loses data to an outage.
 */
export class RouteBuilder {
  constructor(private readonly deps: RouteBuilderDeps) {}

  async rebuild(provider: ProviderRow): Promise<RouteBuildCounts> {
    const [tokens, pricings, existing] = await Promise.all([
      this.deps.tokens.listByProvider(provider.id),
      this.deps.pricings.listByProvider(provider.id),
      this.deps.routes.listByProvider(provider.id),
    ]);
    const plan = planProvider(provider);
    const planned = plannedRoutes(
      plan,
      tokens.map((token) => ({
        id: token.id,
        group: token.group_name,
        status: token.status,
        expiredTime: token.expired_time,
        hasKey: token.sk_key.length > 0,
        modelLimitsEnabled: token.model_limits_enabled === 1,
        modelLimits: token.model_limits,
      })),
      pricings.map((pricing) => ({
        modelName: pricing.model_name,
        enableGroups: parseJsonList(pricing.enable_groups),
      })),
      this.deps.now(),
    );
    const changes = diffRoutes(plan, planned, existing);
    await this.deps.routes.applyChanges({ providerId: provider.id, ...changes, updatedAt: this.deps.now() });
    return {
      routes: existing.length + changes.insert.length - changes.delete.length,
      added: changes.insert.length,
      updated: changes.update.length,
      removed: changes.delete.length,
    };
  }

  async rebuildAll(): Promise<RouteBuildCounts> {
    const total: RouteBuildCounts = { routes: 0, added: 0, updated: 0, removed: 0 };
    for (const provider of await this.deps.providers.listAll()) {
      const counts = await this.rebuild(provider);
      for (const key of Object.keys(total) as Array<keyof RouteBuildCounts>) total[key] += counts[key];
    }
    return total;
  }
}

function planProvider(provider: ProviderRow): PlanProvider {
  return {
    priority: provider.priority,
    weight: provider.weight,
    userGroup: provider.user_group,
    autoGroups: parseJsonList(provider.auto_groups),
  };
}

/** Stored JSON lists; anything unreadable counts as empty rather than failing a rebuild. */
export function parseJsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text || '[]');
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
