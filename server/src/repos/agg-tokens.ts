import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { AggregatedTokensTable, Database } from '../db/schema.js';
import { forEachChunk } from './batch.js';
import { likeContains } from './like.js';

export type AggTokenRow = Selectable<AggregatedTokensTable>;
export type NewAggTokenRow = Insertable<AggregatedTokensTable>;
export type AggTokenUpdate = Updateable<AggregatedTokensTable>;

/** A token with what the relay must know of its owner. */
export type AggTokenWithUser = AggTokenRow & { user_status: number; user_role: number };

/**
 * Aggregated (`ag-`) tokens. Every lookup a user makes is scoped by `user_id`, so a token of
 * someone else reads as absent. `key` is stored without the `ag-` prefix.
 */
export class AggTokensRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findOwned(userId: number, id: number): Promise<AggTokenRow | undefined> {
    return this.db
      .selectFrom('aggregated_tokens')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  findByKey(key: string): Promise<AggTokenRow | undefined> {
    return this.db.selectFrom('aggregated_tokens').selectAll().where('key', '=', key).executeTakeFirst();
  }

  countByUser(userId: number): Promise<number> {
    return this.db
      .selectFrom('aggregated_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  }

  /** One user's tokens, newest first, optionally filtered by a name fragment. */
  async page(
    userId: number,
    keyword: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ items: AggTokenRow[]; total: number }> {
    let base = this.db.selectFrom('aggregated_tokens').where('user_id', '=', userId);
    if (keyword) base = base.where((eb) => likeContains(eb.ref('name'), keyword));
    const [items, total] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /** Inserts and returns the new id; a duplicate key raises the database's unique violation. */
  async insert(row: NewAggTokenRow): Promise<number> {
    const result = await this.db.insertInto('aggregated_tokens').values(row).executeTakeFirstOrThrow();
    if (result.insertId !== undefined) return Number(result.insertId);
    // PostgreSQL reports no insert id; the key is unique, so read it back.
    const inserted = await this.findByKey(row.key);
    if (!inserted) throw new Error('inserted aggregated token not found');
    return inserted.id;
  }

  async update(userId: number, id: number, changes: AggTokenUpdate): Promise<void> {
    await this.db
      .updateTable('aggregated_tokens')
      .set(changes)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .execute();
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.db.deleteFrom('aggregated_tokens').where('id', '=', id).where('user_id', '=', userId).execute();
  }

  /** Sets when these tokens were last used, never moving a time backwards. */
  async markAccessed(ids: readonly number[], at: number): Promise<void> {
    await forEachChunk(ids, (chunk) =>
      this.db
        .updateTable('aggregated_tokens')
        .set({ accessed_at: at })
        .where('id', 'in', chunk)
        .where('accessed_at', '<', at)
        .execute(),
    );
  }

  /**
   * Every token whose owner still exists, with the owner's status and role, for the relay snapshot.
   * Disabled and expired tokens are included: the snapshot decides, and can say why it refuses.
   */
  listAllActiveWithUsers(): Promise<AggTokenWithUser[]> {
    return this.db
      .selectFrom('aggregated_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select(['u.status as user_status', 'u.role as user_role'])
      .orderBy('t.id')
      .execute();
  }

  /** Total estimated cost in USD of a token's calls, `from` inclusive, `to` exclusive (Unix seconds). */
  async sumCost(tokenId: number, from?: number, to?: number): Promise<number> {
    let query = this.db
      .selectFrom('usage_logs')
      .select((eb) => eb.fn.sum<number | null>('cost_usd').as('total'))
      .where('aggregated_token_id', '=', tokenId);
    if (from !== undefined) query = query.where('created_at', '>=', from);
    if (to !== undefined) query = query.where('created_at', '<', to);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.total ?? 0);
  }
}
