/**
 * Health-aware routing: after failures that are the upstream's fault, a route rests for a time
 * that grows with consecutive failures (base × multiplier^(n-1), capped), at least as long as the
 * upstream's Retry-After. A rejected key rests every route of that key; "model not found" rests
 * the route for long. When the rest is over, one request at a time probes the route (half-open):
 * success restores it, failure makes it rest longer. Pure state with an injected clock.
 */
export interface HealthOptions {
  baseMs: number;
  multiplier: number;
  capMs: number;
  modelMissingMs: number;
}

export type FailureKind = 'upstream' | 'key_rejected' | 'model_missing';

export interface RouteKey {
  id: number;
  providerTokenId: number;
}

export interface HealthState {
  failures: number;
  /** Epoch ms until which the route rests; 0 when it does not. */
  coolingUntil: number;
  lastFailureAt: number;
  lastError: string;
  probing: boolean;
}

export type Availability = 'ok' | 'probe' | 'cooling';

export type HealthScope = 'route' | 'token';

/** What other processes need to mirror a change: the new state of one route or key, or null when it is healthy again. */
export type HealthChange =
  { scope: HealthScope; id: number; state: SharedHealthState | null } | { scope: 'all'; id: 0; state: null };

export type SharedHealthState = Omit<HealthState, 'probing'>;

const fresh = (): HealthState => ({ failures: 0, coolingUntil: 0, lastFailureAt: 0, lastError: '', probing: false });

export class RouteHealth {
  private readonly routes = new Map<number, HealthState>();
  private readonly tokens = new Map<number, HealthState>();
  private listener: ((change: HealthChange) => void) | undefined;

  constructor(private readonly options: () => HealthOptions) {}

  /** Hears every change worth sharing (failures, recoveries, clears), not the local probe bookkeeping. */
  onChange(listener: (change: HealthChange) => void): void {
    this.listener = listener;
  }

  /** Mirrors a change made by another process, without announcing it again. */
  apply(change: HealthChange): void {
    if (change.scope === 'all') {
      this.routes.clear();
      this.tokens.clear();
      return;
    }
    const map = change.scope === 'route' ? this.routes : this.tokens;
    if (change.state) map.set(change.id, { ...change.state, probing: map.get(change.id)?.probing ?? false });
    else map.delete(change.id);
  }

  /** Whether a route may take a request now: freely, as the one probe, or not at all. */
  availability(route: RouteKey, now: number): Availability {
    const states = [this.routes.get(route.id), this.tokens.get(route.providerTokenId)];
    let result: Availability = 'ok';
    for (const state of states) {
      if (!state || state.failures === 0) continue;
      if (state.coolingUntil > now || state.probing) return 'cooling';
      result = 'probe';
    }
    return result;
  }

  /** Marks the route's probe as taken, so concurrent requests keep away until it reports. */
  beginProbe(route: RouteKey): void {
    for (const state of this.statesOf(route)) if (state.failures > 0) state.probing = true;
  }

  onSuccess(route: RouteKey): void {
    // The common case, a healthy route succeeding, must stay free of any announcement.
    if (this.routes.delete(route.id)) this.announce('route', route.id, null);
    if (this.tokens.delete(route.providerTokenId)) this.announce('token', route.providerTokenId, null);
  }

  /** A client error or a client that left says nothing about the route: only the probe is released. */
  onNeutral(route: RouteKey): void {
    for (const state of this.statesOf(route)) state.probing = false;
  }

  onFailure(route: RouteKey, now: number, kind: FailureKind, error: string, retryAfterMs = 0): void {
    const map = kind === 'key_rejected' ? this.tokens : this.routes;
    const id = kind === 'key_rejected' ? route.providerTokenId : route.id;
    const state = map.get(id) ?? fresh();
    const options = this.options();
    state.failures += 1;
    const backoff =
      kind === 'model_missing'
        ? options.modelMissingMs
        : Math.min(options.capMs, options.baseMs * options.multiplier ** (state.failures - 1));
    state.coolingUntil = now + Math.max(backoff, retryAfterMs);
    state.lastFailureAt = now;
    state.lastError = error.slice(0, 300);
    state.probing = false;
    map.set(id, state);
    if (kind !== 'key_rejected') this.onNeutral(route);
    this.announce(kind === 'key_rejected' ? 'token' : 'route', id, state);
  }

  /** The state shown to admins: the route's own, or its key's when that is worse. */
  stateOf(route: RouteKey): HealthState | undefined {
    const own = this.routes.get(route.id);
    const token = this.tokens.get(route.providerTokenId);
    if (!own) return token;
    if (!token) return own;
    return token.coolingUntil > own.coolingUntil ? token : own;
  }

  /** Of these routes, the one that failed longest ago: tried when every route is resting. */
  leastRecentlyFailed<T extends RouteKey>(routes: readonly T[]): T | undefined {
    let best: T | undefined;
    let bestAt = Number.POSITIVE_INFINITY;
    for (const route of routes) {
      const at = this.stateOf(route)?.lastFailureAt ?? 0;
      if (at < bestAt) {
        best = route;
        bestAt = at;
      }
    }
    return best;
  }

  clear(route?: RouteKey): void {
    if (!route) {
      this.routes.clear();
      this.tokens.clear();
      this.listener?.({ scope: 'all', id: 0, state: null });
      return;
    }
    this.onSuccess(route);
  }

  /** How many routes and keys are resting at `now`, for the metrics. */
  coolingCount(now: number): number {
    let count = 0;
    for (const state of [...this.routes.values(), ...this.tokens.values()]) if (state.coolingUntil > now) count++;
    return count;
  }

  private announce(scope: HealthScope, id: number, state: HealthState | null): void {
    if (!this.listener) return;
    const { failures, coolingUntil, lastFailureAt, lastError } = state ?? fresh();
    this.listener({ scope, id, state: state ? { failures, coolingUntil, lastFailureAt, lastError } : null });
  }

  private statesOf(route: RouteKey): HealthState[] {
    return [this.routes.get(route.id), this.tokens.get(route.providerTokenId)].filter(
      (state): state is HealthState => state !== undefined,
    );
  }
}
