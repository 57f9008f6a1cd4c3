import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ProvidersTable } from '../db/schema.js';
import { likeContains } from './like.js';

export type ProviderRow = Selectable<ProvidersTable>;
export type NewProviderRow = Insertable<ProvidersTable>;
export type ProviderUpdate = Updateable<ProvidersTable>;

export class ProvidersRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: number): Promise<ProviderRow | undefined> {
    return this.db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<ProviderRow | undefined> {
    return this.db.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirst();
  }

  listEnabled(): Promise<ProviderRow[]> {
    return this.db.selectFrom('providers').selectAll().where('status', '=', 1).orderBy('id').execute();
  }

  listAll(): Promise<ProviderRow[]> {
    return this.db.selectFrom('providers').selectAll().orderBy('id').execute();
  }

  async page(
    keyword: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ items: ProviderRow[]; total: number }> {
    let base = this.db.selectFrom('providers');
    if (keyword) {
      base = base.where((eb) =>
        eb.or([
          likeContains(eb.ref('name'), keyword),
          likeContains(eb.ref('base_url'), keyword),
          likeContains(eb.ref('remark'), keyword),
        ]),
      );
    }
    const [items, total] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  async insert(row: NewProviderRow): Promise<number> {
    const result = await this.db.insertInto('providers').values(row).executeTakeFirstOrThrow();
    if (result.insertId !== undefined) return Number(result.insertId);
    const inserted = await this.findByName(row.name);
    if (!inserted) throw new Error('inserted provider not found');
    return inserted.id;
  }

  async update(id: number, changes: ProviderUpdate): Promise<void> {
    await this.db.updateTable('providers').set(changes).where('id', '=', id).execute();
  }

  /** The provider and everything synced from it; usage logs stay for the record. */
  async deleteWithData(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('model_routes').where('provider_id', '=', id).execute();
      await trx.deleteFrom('provider_tokens').where('provider_id', '=', id).execute();
      await trx.deleteFrom('model_pricings').where('provider_id', '=', id).execute();
      await trx.deleteFrom('providers').where('id', '=', id).execute();
    });
  }
}
