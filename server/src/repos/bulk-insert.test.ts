import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/databases.js';
import { describeEachDatabase } from '../../test/helpers/matrix.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { insertAll } from './bulk-insert.js';

const route = (model_name: string, provider_token_id: number) => ({
  model_name,
  provider_token_id,
  priority: 3,
  weight: 4,
});

describeEachDatabase('insertAll', (database) => {
  let db: Kysely<Database>;

  beforeAll(async () => {
    db = openTestDatabase(database());
    await migrateToLatest(db);
  });

  afterAll(async () => {
    await db.destroy();
  });

  const insert = (rows: ReturnType<typeof route>[], providerId: number) =>
    db
      .transaction()
      .execute((trx) =>
        insertAll(db, trx, 'model_routes', rows, { provider_id: providerId, created_at: 11, updated_at: 12 }),
      );
  const stored = (providerId: number) =>
    db
      .selectFrom('model_routes')
      .select(['model_name', 'provider_token_id', 'priority', 'weight', 'provider_id', 'created_at', 'updated_at'])
      .where('provider_id', '=', providerId)
      .orderBy('id')
      .execute();

  it('writes every row with its own columns and the shared ones, more rows than one slice holds', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => route(`model-${i % 500}`, 1 + Math.floor(i / 500)));
    await insert(rows, 1);
    const written = await stored(1);
    expect(written).toHaveLength(5000);
    expect(written[4999]).toEqual({ ...route('model-499', 10), provider_id: 1, created_at: 11, updated_at: 12 });
    expect(written.map((r) => `${r.provider_token_id}/${r.model_name}`)).toEqual(
      rows.map((r) => `${r.provider_token_id}/${r.model_name}`),
    );
  });

  it('lands nothing of a batch with a bad row, and writes the next batch', async () => {
    await expect(insert([route('a', 100), route('b', 100), route('a', 100)], 2)).rejects.toThrow(/unique|duplicate/i);
    expect(await stored(2)).toEqual([]);
    await insert([route('a', 100)], 2);
    expect(await stored(2)).toHaveLength(1);
  });

  it('does nothing for no rows', async () => {
    await insert([], 3);
    expect(await stored(3)).toEqual([]);
  });
});
