import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ModelPricingsTable } from '../db/schema.js';
import { forEachChunk } from './batch.js';

export type ModelPricingRow = Selectable<ModelPricingsTable>;
export type NewModelPricingRow = Insertable<ModelPricingsTable>;

export class ModelPricingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listByProvider(providerId: number): Promise<ModelPricingRow[]> {
    return this.db
      .selectFrom('model_pricings')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('model_name')
      .execute();
  }

  /** Every provider's prices, for the relay's cost estimates. */
  listPrices() {
    return this.db
      .selectFrom('model_pricings')
      .select(['provider_id', 'model_name', 'quota_type', 'model_ratio', 'completion_ratio', 'model_price'])
      .execute();
  }

  insertMany(rows: NewModelPricingRow[]): Promise<void> {
    return forEachChunk(rows, (chunk) => this.db.insertInto('model_pricings').values(chunk).execute());
  }

  async update(id: number, changes: Updateable<ModelPricingsTable>): Promise<void> {
    await this.db.updateTable('model_pricings').set(changes).where('id', '=', id).execute();
  }

  async deleteByIds(ids: number[]): Promise<void> {
    await forEachChunk(ids, (chunk) => this.db.deleteFrom('model_pricings').where('id', 'in', chunk).execute());
  }
}
