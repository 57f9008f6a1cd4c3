/**
 * Which routes a provider should have, computed from what was synced (pricing and tokens), and
 * how to get there from the routes it has. Pure: the sync and the rebuild endpoint apply the plan.
 */
export interface PlanProvider {
  priority: number;
  weight: number;
  /** The upstream user's group, used by tokens whose group is empty. */
  userGroup: string;
  /** The upstream's auto groups, used by tokens in the `auto` group. */
  autoGroups: readonly string[];
}

export interface PlanToken {
  id: number;
  group: string;
  status: number;
  expiredTime: number;
  hasKey: boolean;
  modelLimitsEnabled: boolean;
  modelLimits: string;
}

export interface PlanPricing {
  modelName: string;
  enableGroups: readonly string[];
}

export interface ExistingRoute {
  id: number;
  model_name: string;
  provider_token_id: number;
  priority: number;
  weight: number;
  overridden: number;
}

export interface RouteChanges {
  insert: Array<{ model_name: string; provider_token_id: number; priority: number; weight: number }>;
  update: Array<{ id: number; priority: number; weight: number }>;
  delete: number[];
}

const TOKEN_ENABLED = 1;

/** The groups a token draws its models from. */
export function tokenGroups(token: PlanToken, provider: PlanProvider): string[] {
  if (token.group === 'auto') return provider.autoGroups.length > 0 ? [...provider.autoGroups] : ['default'];
  return [token.group || provider.userGroup || 'default'];
}

export function isTokenUsable(token: PlanToken, now: number): boolean {
  return token.status === TOKEN_ENABLED && token.hasKey && (token.expiredTime === -1 || token.expiredTime > now);
}

/** Every (model, token) pair the provider can serve. */
export function plannedRoutes(
  provider: PlanProvider,
  tokens: readonly PlanToken[],
  pricings: readonly PlanPricing[],
  now: number,
): Array<{ model_name: string; provider_token_id: number }> {
  const planned: Array<{ model_name: string; provider_token_id: number }> = [];
  for (const token of tokens) {
    if (!isTokenUsable(token, now)) continue;
    const groups = new Set(tokenGroups(token, provider));
    const limits = token.modelLimitsEnabled ? parseList(token.modelLimits) : undefined;
    for (const pricing of pricings) {
      if (!pricing.enableGroups.some((group) => groups.has(group))) continue;
      if (limits && !limits.has(pricing.modelName)) continue;
      planned.push({ model_name: pricing.modelName, provider_token_id: token.id });
    }
  }
  return planned;
}

/**
 * The inserts, updates and deletes that turn `existing` into `planned`. Routes an admin edited
 * keep their priority and weight; the others follow the provider's.
 */
export function diffRoutes(
  provider: PlanProvider,
  planned: ReadonlyArray<{ model_name: string; provider_token_id: number }>,
  existing: readonly ExistingRoute[],
): RouteChanges {
  const key = (model: string, tokenId: number) => `${tokenId}\u0000${model}`;
  const existingByKey = new Map(existing.map((route) => [key(route.model_name, route.provider_token_id), route]));
  const changes: RouteChanges = { insert: [], update: [], delete: [] };
  const wanted = new Set<string>();
  for (const route of planned) {
    const id = key(route.model_name, route.provider_token_id);
    if (wanted.has(id)) continue;
    wanted.add(id);
    const current = existingByKey.get(id);
    if (!current) {
      changes.insert.push({ ...route, priority: provider.priority, weight: provider.weight });
    } else if (!current.overridden && (current.priority !== provider.priority || current.weight !== provider.weight)) {
      changes.update.push({ id: current.id, priority: provider.priority, weight: provider.weight });
    }
  }
  for (const [id, route] of existingByKey) if (!wanted.has(id)) changes.delete.push(route.id);
  return changes;
}

export function parseList(text: string): Set<string> {
  return new Set(
    text
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter(Boolean),
  );
}
