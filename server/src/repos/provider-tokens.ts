import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ProviderTokensTable } from '../db/schema.js';
import { forEachChunk } from './batch.js';

export type ProviderTokenRow = Selectable<ProviderTokensTable>;
export type NewProviderTokenRow = Insertable<ProviderTokensTable>;
export type ProviderTokenUpdate = Updateable<ProviderTokensTable>;

/** What a token sync writes for one provider, applied in one transaction. */
export interface TokenChangeSet {
  insert: NewProviderTokenRow[];
  update: Array<{ id: number; values: ProviderTokenUpdate }>;
  /** Tokens that did not change: only their last_synced_at is set, a chunk of ids per statement. */
  touch: number[];
  /** Tokens gone upstream: removed with their routes. */
  delete: number[];
  syncedAt: number;
}

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

  /** A sync's changes in one transaction: all or none, and one commit instead of one per token. */
  async applySync(changes: TokenChangeSet): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await forEachChunk(changes.delete, async (chunk) => {
        await trx.deleteFrom('model_routes').where('provider_token_id', 'in', chunk).execute();
        await trx.deleteFrom('provider_tokens').where('id', 'in', chunk).execute();
      });
      for (const { id, values } of changes.update) {
        await trx.updateTable('provider_tokens').set(values).where('id', '=', id).execute();
      }
      await forEachChunk(changes.touch, (chunk) =>
        trx.updateTable('provider_tokens').set({ last_synced_at: changes.syncedAt }).where('id', 'in', chunk).execute(),
      );
      await forEachChunk(changes.insert, (chunk) => trx.insertInto('provider_tokens').values(chunk).execute());
    });
  }
}
