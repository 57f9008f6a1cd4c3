import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ProviderTokensTable } from '../db/schema.js';
import { forEachChunk } from './batch.js';

export type ProviderTokenRow = Selectable<ProviderTokensTable>;
export type NewProviderTokenRow = Insertable<ProviderTokensTable>;
export type ProviderTokenUpdate = Updateable<ProviderTokensTable>;

export class ProviderTokensRepo {
  constructor(private readonly db: Kysely<Database>) {}

  listByProvider(providerId: number): Promise<ProviderTokenRow[]> {
    return this.db
      .selectFrom('provider_tokens')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('id')
      .execute();
  }

  listAll(): Promise<ProviderTokenRow[]> {
    return this.db.selectFrom('provider_tokens').selectAll().orderBy('id').execute();
  }

  insertMany(rows: NewProviderTokenRow[]): Promise<void> {
    return forEachChunk(rows, (chunk) => this.db.insertInto('provider_tokens').values(chunk).execute());
  }

  async update(id: number, changes: ProviderTokenUpdate): Promise<void> {
    await this.db.updateTable('provider_tokens').set(changes).where('id', '=', id).execute();
  }

  /** Removes tokens and the routes that used them. */
  async deleteWithRoutes(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await forEachChunk(ids, async (chunk) => {
        await trx.deleteFrom('model_routes').where('provider_token_id', 'in', chunk).execute();
        await trx.deleteFrom('provider_tokens').where('id', 'in', chunk).execute();
      });
    });
  }
}
