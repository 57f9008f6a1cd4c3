import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ModelRoutesTable } from '../db/schema.js';
import type { RouteSource } from '../domain/route-table.js';
import { forEachChunk } from './batch.js';

export type ModelRouteRow = Selectable<ModelRoutesTable>;
export type NewModelRouteRow = Insertable<ModelRoutesTable>;

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

export class ModelRoutesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: number): Promise<ModelRouteRow | undefined> {
    return this.db.selectFrom('model_routes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listByProvider(providerId: number): Promise<ModelRouteRow[]> {
    return this.db.selectFrom('model_routes').selectAll().where('provider_id', '=', providerId).execute();
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

  /** The enabled routes of enabled providers and enabled tokens: what the relay may use. */
  routable(): Promise<RoutableRow[]> {
    return this.db
      .selectFrom('model_routes as r')
      .innerJoin('providers as p', 'p.id', 'r.provider_id')
      .innerJoin('provider_tokens as t', 't.id', 'r.provider_token_id')
      .where('r.enabled', '=', 1)
      .where('p.status', '=', 1)
      .where('t.status', '=', 1)
      .select([
        'r.id',
        'r.model_name',
        'r.priority',
        'r.weight',
        'r.provider_id',
        'p.name as provider_name',
        'p.base_url',
        'r.provider_token_id',
        't.sk_key',
        't.expired_time as token_expired_time',
        't.group_name as token_group',
        'p.user_group',
        'p.group_ratios',
        'p.balance_usd',
      ])
      .orderBy('r.id')
      .execute();
  }

  insertMany(rows: NewModelRouteRow[]): Promise<void> {
    return forEachChunk(rows, (chunk) => this.db.insertInto('model_routes').values(chunk).execute());
  }

  async update(id: number, changes: Updateable<ModelRoutesTable>): Promise<void> {
    await this.db.updateTable('model_routes').set(changes).where('id', '=', id).execute();
  }

  async deleteByIds(ids: number[]): Promise<void> {
    await forEachChunk(ids, (chunk) => this.db.deleteFrom('model_routes').where('id', 'in', chunk).execute());
  }
}
