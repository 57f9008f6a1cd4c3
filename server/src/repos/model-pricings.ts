import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ModelPricingsTable } from '../db/schema.js';
import { forEachChunk } from './batch.js';
import { insertAll } from './bulk-insert.js';

export type ModelPricingRow = Selectable<ModelPricingsTable>;
export type NewModelPricingRow = Insertable<ModelPricingsTable>;

/** What a pricing sync writes for one provider, applied in one transaction. */
export interface PricingChangeSet {
  insert: NewModelPricingRow[];
  update: Array<{ id: number; values: Updateable<ModelPricingsTable> }>;
  /** Rows that did not change: only their last_synced_at is set, a chunk of ids per statement. */
  touch: number[];
  delete: number[];
  syncedAt: number;
}

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

  /** A sync's changes in one transaction: all or none, and one commit instead of one per row. */
  async applySync(changes: PricingChangeSet): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await forEachChunk(changes.delete, (chunk) =>
        trx.deleteFrom('model_pricings').where('id', 'in', chunk).execute(),
      );
      for (const { id, values } of changes.update) {
        await trx.updateTable('model_pricings').set(values).where('id', '=', id).execute();
      }
      await forEachChunk(changes.touch, (chunk) =>
        trx.updateTable('model_pricings').set({ last_synced_at: changes.syncedAt }).where('id', 'in', chunk).execute(),
      );
      await insertAll(this.db, trx, 'model_pricings', changes.insert);
    });
  }
}
