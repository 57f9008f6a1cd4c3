import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ModelRoutesTable } from '../db/schema.js';
import type { RouteSource } from '../domain/route-table.js';
import { forEachChunk } from './batch.js';
import { insertAll } from './bulk-insert.js';
import { visitEnabledRoutes, type RouteVisitor } from './routes-sqlite.js';
import { sqliteHandleOf } from '../db/connect.js';

export type ModelRouteRow = Selectable<ModelRoutesTable>;
export type NewModelRouteRow = Insertable<ModelRoutesTable>;
export type ExistingRouteRow = Pick<
  ModelRouteRow,
  'id' | 'model_name' | 'provider_token_id' | 'priority' | 'weight' | 'overridden'
>;

export interface RouteListQuery {
  model?: string;
  providerId?: number;
  offset: number;
  limit: number;
}

export interface RouteListRow extends ModelRouteRow {
  provider_name: string;
  provider_status: number;
  token_name: string;
  token_group: string;
  token_status: number;
}

/** A route with what the relay needs to use it: its provider and its upstream key. */
export type RoutableRow = RouteSource;

/** What a route rebuild writes for one provider, applied in one transaction. */
export interface RouteChangeSet {
  providerId: number;
  /** New routes of this provider, created at `updatedAt`. */
  insert: ReadonlyArray<Pick<NewModelRouteRow, 'model_name' | 'provider_token_id' | 'priority' | 'weight'>>;
  update: Array<{ id: number; priority: number; weight: number }>;
  delete: number[];
  updatedAt: number;
}

export class ModelRoutesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: number): Promise<ModelRouteRow | undefined> {
    return this.db.selectFrom('model_routes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A provider's routes, with what a rebuild compares (not the whole row: a big provider has thousands). */
  listByProvider(providerId: number): Promise<ExistingRouteRow[]> {
    return this.db
      .selectFrom('model_routes')
      .select(['id', 'model_name', 'provider_token_id', 'priority', 'weight', 'overridden'])
      .where('provider_id', '=', providerId)
      .execute();
  }

  async page(query: RouteListQuery): Promise<{ items: RouteListRow[]; total: number }> {
    let base = this.db
      .selectFrom('model_routes as r')
      .innerJoin('providers as p', 'p.id', 'r.provider_id')
      .innerJoin('provider_tokens as t', 't.id', 'r.provider_token_id');
    if (query.model) base = base.where('r.model_name', '=', query.model);
    if (query.providerId !== undefined) base = base.where('r.provider_id', '=', query.providerId);
    const [items, total] = await Promise.all([
      base
        .selectAll('r')
        .select([
          'p.name as provider_name',
          'p.status as provider_status',
          't.name as token_name',
          't.group_name as token_group',
          't.status as token_status',
        ])
        .orderBy('r.model_name')
        .orderBy('r.priority', 'desc')
        .orderBy('r.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /** Enabled routes of enabled providers for these models, to compute each route's traffic share. */
  async usableForModels(
    models: string[],
  ): Promise<Array<Pick<ModelRouteRow, 'id' | 'model_name' | 'priority' | 'weight'>>> {
    if (models.length === 0) return [];
    return this.db
      .selectFrom('model_routes as r')
      .innerJoin('providers as p', 'p.id', 'r.provider_id')
      .innerJoin('provider_tokens as t', 't.id', 'r.provider_token_id')
      .where('r.model_name', 'in', models)
      .where('r.enabled', '=', 1)
      .where('p.status', '=', 1)
      .where('t.status', '=', 1)
      .select(['r.id', 'r.model_name', 'r.priority', 'r.weight'])
      .execute();
  }

  /** Every model some route serves, enabled or not, for the model filter. */
  async modelNames(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('model_routes')
      .select('model_name')
      .distinct()
      .orderBy('model_name')
      .execute();
    return rows.map((row) => row.model_name);
  }

  /**
   * The enabled routes of enabled providers and enabled tokens: what the relay may use. Three plain reads
   * joined here rather than one SQL join: a route row then carries only its own columns and points at its provider
   * and token, instead of a copy of theirs per row (with 500 000 routes the join spent most of the rebuild making and
   * collecting those copies).
   */
  async routable(): Promise<RoutableRow[]> {
    const [providers, tokens] = await Promise.all([
      this.db
        .selectFrom('providers')
        .where('status', '=', 1)
        .select(['id', 'name', 'base_url', 'user_group', 'group_ratios', 'balance_usd'])
        .execute(),
      this.db
        .selectFrom('provider_tokens')
        .where('status', '=', 1)
        .select(['id', 'sk_key', 'expired_time', 'group_name'])
        .execute(),
    ]);
    const providerById = new Map(providers.map((p) => [p.id, p]));
    const tokenById = new Map(tokens.map((t) => [t.id, t]));
    const modelNames = new Map<string, string>();
    const rows: RoutableRow[] = [];
    await this.visitEnabledRoutes((id, model, priority, weight, providerId, tokenId) => {
      const p = providerById.get(providerId);
      const t = tokenById.get(tokenId);
      if (!p || !t) return;
      let modelName = modelNames.get(model);
      if (modelName === undefined) modelNames.set(model, (modelName = model));
      rows.push({ id, model_name: modelName, priority, weight, provider: p, token: t });
    });
    return rows;
  }

  /** In id order, except on SQLite, where they come grouped by token (routes-sqlite.ts). */
  private async visitEnabledRoutes(visit: RouteVisitor): Promise<void> {
    const handle = sqliteHandleOf(this.db);
    if (handle && (await this.db.connection().execute(() => Promise.resolve(visitEnabledRoutes(handle, visit))))) {
      return;
    }
    const routes = await this.db
      .selectFrom('model_routes')
      .where('enabled', '=', 1)
      .select(['id', 'model_name', 'priority', 'weight', 'provider_id', 'provider_token_id'])
      .orderBy('id')
      .execute();
    for (const r of routes) visit(r.id, r.model_name, r.priority, r.weight, r.provider_id, r.provider_token_id);
  }

  /**
   * A provider's route changes in one transaction: one commit instead of one per statement (on SQLite each commit
   * rewrote the index pages it touched), and the routes a sync plans appear together. Updates that set the same
   * priority and weight (usually all of them: the provider's) share a statement.
   */
  async applyChanges(changes: RouteChangeSet): Promise<void> {
    if (changes.insert.length + changes.update.length + changes.delete.length === 0) return;
    const groups = new Map<string, { priority: number; weight: number; ids: number[] }>();
    for (const { id, priority, weight } of changes.update) {
      const key = `${priority}/${weight}`;
      const group = groups.get(key) ?? { priority, weight, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    await this.db.transaction().execute(async (trx) => {
      await forEachChunk(changes.delete, (chunk) => trx.deleteFrom('model_routes').where('id', 'in', chunk).execute());
      for (const { priority, weight, ids } of groups.values()) {
        await forEachChunk(ids, (chunk) =>
          trx
            .updateTable('model_routes')
            .set({ priority, weight, updated_at: changes.updatedAt })
            .where('id', 'in', chunk)
            .execute(),
        );
      }
      const { providerId: provider_id, updatedAt } = changes;
      await insertAll(this.db, trx, 'model_routes', changes.insert, {
        provider_id,
        created_at: updatedAt,
        updated_at: updatedAt,
      });
    });
  }

  async update(id: number, changes: Updateable<ModelRoutesTable>): Promise<void> {
    await this.db.updateTable('model_routes').set(changes).where('id', '=', id).execute();
  }
}
