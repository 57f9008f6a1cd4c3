import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';

export class OptionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('options').select(['key', 'value']).execute();
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('options').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    const updated = await this.db
      .updateTable('options')
      .set({ value, updated_at: now })
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    try {
      await this.db.insertInto('options').values({ key, value, updated_at: now }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.db.updateTable('options').set({ value, updated_at: now }).where('key', '=', key).execute();
    }
  }

  /** Inserts only when absent and returns what is stored: the first of several racing writers wins. */
  async setIfAbsent(key: string, value: string, now: number): Promise<string> {
    try {
      await this.db.insertInto('options').values({ key, value, updated_at: now }).execute();
      return value;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const stored = await this.get(key);
      if (stored === undefined) throw error;
      return stored;
    }
  }
}
