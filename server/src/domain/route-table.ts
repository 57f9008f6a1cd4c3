import type { PriceInput } from './pricing.js';
import { toTiers, type Weighted } from './route-selection.js';

/** A route as the relay uses it: everything needed to call the upstream, nothing to look up. */
export interface Route extends Weighted {
  modelName: string;
  providerId: number;
  providerName: string;
  baseUrl: string;
  providerTokenId: number;
  skKey: string;
  /** The token's group ratio at this provider, for the cost estimate. */
  groupRatio: number;
  /** The provider's price for the model; undefined when its pricing does not list it. */
  price: PriceInput | undefined;
}

/** A provider as its routes need it; one object shared by all of them. */
export interface RouteProviderSource {
  id: number;
  name: string;
  base_url: string;
  user_group: string;
  /** JSON object group → ratio. */
  group_ratios: string;
  /** The provider's balance at its last sync; null when unknown. */
  balance_usd: number | null;
}

/** A provider token as its routes need it; one object shared by all of them. */
export interface RouteTokenSource {
  id: number;
  sk_key: string;
  expired_time: number;
  group_name: string;
}

/** A stored route, pointing at its provider and token rather than copying them (there may be 500,000). */
export interface RouteSource {
  id: number;
  model_name: string;
  priority: number;
  weight: number;
  provider: RouteProviderSource;
  token: RouteTokenSource;
}

export interface PriceSource {
  provider_id: number;
  model_name: string;
  quota_type: number;
  model_ratio: number;
  completion_ratio: number;
  model_price: number;
}

/** Immutable: a rebuild makes a new table and swaps it in whole. */
export interface RouteTable {
  readonly byModel: ReadonlyMap<string, readonly (readonly Route[])[]>;
  readonly models: readonly string[];
  readonly builtAt: number;
}

export const EMPTY_ROUTE_TABLE: RouteTable = Object.freeze({ byModel: new Map(), models: [], builtAt: 0 });

/**
 * `skipDepleted` leaves out providers whose last sync showed no funds left: their calls would fail
 * until a sync shows the account topped up.
 */
export function buildRouteTable(
  rows: readonly RouteSource[],
  prices: readonly PriceSource[],
  now: number,
  skipDepleted = false,
): RouteTable {
  // Per provider, then model: a joined string key per route cost more than the lookups.
  const priceOf = new Map<number, Map<string, PriceInput>>();
  for (const p of prices) {
    let models = priceOf.get(p.provider_id);
    if (!models) priceOf.set(p.provider_id, (models = new Map<string, PriceInput>()));
    models.set(p.model_name, {
      quotaType: p.quota_type,
      modelRatio: p.model_ratio,
      completionRatio: p.completion_ratio,
      modelPrice: p.model_price,
    });
  }
  const ratiosOf = new Map<number, Record<string, unknown>>();
  const byModel = new Map<string, Route[]>();
  for (const row of rows) {
    const { provider, token } = row;
    if (!token.sk_key || (token.expired_time !== -1 && token.expired_time <= now)) continue;
    if (skipDepleted && provider.balance_usd !== null && provider.balance_usd <= 0) continue;
    const route: Route = Object.freeze({
      id: row.id,
      priority: row.priority,
      weight: row.weight,
      modelName: row.model_name,
      providerId: provider.id,
      providerName: provider.name,
      baseUrl: provider.base_url,
      providerTokenId: token.id,
      skKey: token.sk_key,
      groupRatio: groupRatio(ratiosOf, provider, token),
      price: priceOf.get(provider.id)?.get(row.model_name),
    });
    const list = byModel.get(row.model_name);
    if (list) list.push(route);
    else byModel.set(row.model_name, [route]);
  }
  // Rows may come in any order; inside a tier routes keep id order (already sorted costs one pass).
  const tiers = new Map([...byModel].map(([model, routes]) => [model, toTiers(routes.sort(byId))] as const));
  return Object.freeze({ byModel: tiers, models: [...tiers.keys()].sort(), builtAt: now });
}

/** The ratio of the token's group ('' = the upstream user's group); 1 when the upstream gave none. */
function groupRatio(
  cache: Map<number, Record<string, unknown>>,
  provider: RouteProviderSource,
  token: RouteTokenSource,
): number {
  let ratios = cache.get(provider.id);
  if (!ratios) {
    try {
      const parsed: unknown = JSON.parse(provider.group_ratios || '{}');
      ratios = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      ratios = {};
    }
    cache.set(provider.id, ratios);
  }
  const ratio = ratios[token.group_name || provider.user_group || 'default'];
  return typeof ratio === 'number' && ratio >= 0 ? ratio : 1;
}

const byId = (a: Route, b: Route) => a.id - b.id;
