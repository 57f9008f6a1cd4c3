import { toTiers, type Weighted } from './route-selection.js';

/** A route as the relay uses it: everything needed to call the upstream, nothing to look up. */
export interface Route extends Weighted {
  modelName: string;
  providerId: number;
  providerName: string;
  baseUrl: string;
  providerTokenId: number;
  skKey: string;
}

export interface RouteSource {
  id: number;
  model_name: string;
  priority: number;
  weight: number;
  provider_id: number;
  provider_name: string;
  base_url: string;
  provider_token_id: number;
  sk_key: string;
  token_expired_time: number;
}

/** Immutable: a rebuild makes a new table and swaps it in whole. */
export interface RouteTable {
  readonly byModel: ReadonlyMap<string, readonly (readonly Route[])[]>;
  readonly models: readonly string[];
  readonly builtAt: number;
}

export const EMPTY_ROUTE_TABLE: RouteTable = Object.freeze({ byModel: new Map(), models: [], builtAt: 0 });

export function buildRouteTable(rows: readonly RouteSource[], now: number): RouteTable {
  const byModel = new Map<string, Route[]>();
  for (const row of rows) {
    if (!row.sk_key || (row.token_expired_time !== -1 && row.token_expired_time <= now)) continue;
    const route: Route = Object.freeze({
      id: row.id,
      priority: row.priority,
      weight: row.weight,
      modelName: row.model_name,
      providerId: row.provider_id,
      providerName: row.provider_name,
      baseUrl: row.base_url,
      providerTokenId: row.provider_token_id,
      skKey: row.sk_key,
    });
    const list = byModel.get(row.model_name);
    if (list) list.push(route);
    else byModel.set(row.model_name, [route]);
  }
  const tiers = new Map([...byModel].map(([model, routes]) => [model, toTiers(routes)] as const));
  return Object.freeze({ byModel: tiers, models: [...tiers.keys()].sort(), builtAt: now });
}
