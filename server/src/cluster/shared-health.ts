import type { RouteHealth } from '../domain/route-health.js';
import type { ClusterBus } from './bus.js';

/**
 * Makes route health one state across processes: every failure, recovery or reset seen here is
 * sent to the peers, and theirs are applied here, so a provider that broke under one process is
 * rested by all of them. The half-open probe stays per process: each may send one trial request.
 */
export function shareRouteHealth(health: RouteHealth, bus: ClusterBus, origin: string): void {
  health.onChange((change) => bus.publish({ type: 'health', change, origin }));
  bus.subscribe((message) => {
    if (message.type === 'health' && message.origin !== origin) health.apply(message.change);
  });
}
