import { EMPTY_ROUTE_TABLE, buildRouteTable, type RouteTable } from '../domain/route-table.js';
import type { ModelRoutesRepo } from '../repos/model-routes.js';

/**
 * Holds the relay's route table. Rebuilds run one at a time; a request for a rebuild while one
 * runs is folded into a single follow-up, so a burst of edits costs at most two rebuilds.
 */
export class RouteTableHolder {
  private table: RouteTable = EMPTY_ROUTE_TABLE;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly routes: ModelRoutesRepo,
    private readonly now: () => number,
  ) {}

  get current(): RouteTable {
    return this.table;
  }

  rebuild(): Promise<void> {
    if (!this.running) {
      this.running = this.load().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.rebuild();
    });
    return this.queued;
  }

  private async load(): Promise<void> {
    this.table = buildRouteTable(await this.routes.routable(), this.now());
  }
}
