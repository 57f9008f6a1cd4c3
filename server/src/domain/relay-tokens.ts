import { isAllowed, parseAllowList, type AllowList } from './ip-allow.js';
import { parseList } from './route-plan.js';
import { UserStatus } from './roles.js';

/** An aggregated token as the relay checks it: everything precomputed, nothing to look up. */
export interface RelayToken {
  id: number;
  userId: number;
  name: string;
  enabled: boolean;
  userEnabled: boolean;
  /** Unix seconds; -1 = never. */
  expiredTime: number;
  /** Null when the token may use every model. */
  modelLimits: ReadonlySet<string> | null;
  /** Null when every address may use it. */
  allowList: AllowList | null;
}

export interface TokenSource {
  id: number;
  user_id: number;
  key: string;
  name: string;
  status: number;
  expired_time: number;
  model_limits_enabled: number;
  model_limits: string;
  allow_ips: string;
  user_status: number;
}

/** Keys (without `ag-`) to tokens; immutable, swapped whole on every change. */
export type TokenIndex = ReadonlyMap<string, RelayToken>;

export function buildTokenIndex(rows: readonly TokenSource[]): TokenIndex {
  const index = new Map<string, RelayToken>();
  for (const row of rows) {
    const allow = row.allow_ips.trim() ? parseAllowList(row.allow_ips) : undefined;
    index.set(
      row.key,
      Object.freeze({
        id: row.id,
        userId: row.user_id,
        name: row.name,
        enabled: row.status === 1,
        userEnabled: row.user_status === UserStatus.enabled,
        expiredTime: row.expired_time,
        modelLimits: row.model_limits_enabled === 1 ? parseList(row.model_limits) : null,
        // A list that no longer parses admits no one rather than everyone.
        allowList: allow === undefined ? null : allow.ok ? allow.list : BLOCK_ALL,
      }),
    );
  }
  return index;
}

const BLOCK_ALL: AllowList = (() => {
  const parsed = parseAllowList('255.255.255.255/32');
  if (!parsed.ok) throw new Error('unreachable');
  return parsed.list;
})();

/** Why the token cannot be used now, or undefined when it can. */
export function tokenProblem(token: RelayToken | undefined, now: number): string | undefined {
  if (!token) return 'invalid API key';
  if (!token.enabled) return 'this API key is disabled';
  if (!token.userEnabled) return "this API key's owner is disabled";
  if (token.expiredTime !== -1 && token.expiredTime <= now) return 'this API key has expired';
  return undefined;
}

export function tokenAllowsIp(token: RelayToken, ip: string): boolean {
  return token.allowList === null || isAllowed(token.allowList, ip);
}

export function tokenAllowsModel(token: RelayToken, model: string): boolean {
  return token.modelLimits === null || token.modelLimits.has(model);
}
