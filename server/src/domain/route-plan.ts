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
  // Keyed by token, then model: a big provider has hundreds of thousands of pairs, and a map per
  // token spares building a joined string key for each. A pair already planned maps to null.
  const pairs = new Map<number, Map<string, ExistingRoute | null>>();
  for (const route of existing) modelsOf(pairs, route.provider_token_id).set(route.model_name, route);
  const changes: RouteChanges = { insert: [], update: [], delete: [] };
  const { priority, weight } = provider;
  for (const { model_name, provider_token_id } of planned) {
    const models = modelsOf(pairs, provider_token_id);
    const current = models.get(model_name);
    if (current === null) continue;
    models.set(model_name, null);
    if (!current) {
      changes.insert.push({ model_name, provider_token_id, priority, weight });
    } else if (!current.overridden && (current.priority !== priority || current.weight !== weight)) {
      changes.update.push({ id: current.id, priority, weight });
    }
  }
  // What is left unmarked was not planned.
  for (const models of pairs.values()) {
    for (const route of models.values()) if (route) changes.delete.push(route.id);
  }
  return changes;
}

function modelsOf(map: Map<number, Map<string, ExistingRoute | null>>, tokenId: number) {
  let models = map.get(tokenId);
  if (!models) map.set(tokenId, (models = new Map<string, ExistingRoute | null>()));
  return models;
}

export function parseList(text: string): Set<string> {
  return new Set(
    text
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter(Boolean),
  );
}
