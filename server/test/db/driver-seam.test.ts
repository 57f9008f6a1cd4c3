import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { likeContains } from '../../src/repos/like.js';
import { openTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase } from '../helpers/matrix.js';

describeEachDatabase('the driver seam', (database) => {
  let db: Kysely<Database>;

  beforeAll(async () => {
    db = openTestDatabase(database());
    await migrateToLatest(db);
    const row = {
      user_id: 1,
      provider_name: 'p',
      model_name: 'gpt-4o',
      error_message: '',
      prompt_tokens: 1000,
      completion_tokens: 2000,
      cost_usd: 0.125,
    };
    await db
      .insertInto('usage_logs')
      .values([
        { ...row, request_id: 'r1', created_at: 4_102_444_800_123 }, // beyond 32 bits
        { ...row, request_id: 'r_2', created_at: 1, cost_usd: 0.25, model_name: 'Claude-3_5' },
      ])
      .execute();
  });
  afterAll(() => db.destroy());

  it('hands back plain numbers for big integers, counts and sums', async () => {
    const totals = await db
      .selectFrom('usage_logs')
      .select((eb) => [
        eb.fn.countAll<number>().as('requests'),
        eb.fn.sum<number>('prompt_tokens').as('prompt'),
        eb.fn.sum<number>('cost_usd').as('cost'),
        eb.fn.max<number>('created_at').as('latest'),
      ])
      .executeTakeFirstOrThrow();
    expect(totals).toEqual({ requests: 2, prompt: 2000, cost: 0.375, latest: 4_102_444_800_123 });
    const { rows } = await sql<{ id: number }>`select id from usage_logs order by id`.execute(db);
    expect(rows.map((r) => typeof r.id)).toEqual(['number', 'number']);
  });

  it('matches LIKE the same way: case-insensitive, with % and _ taken literally', async () => {
    const find = (text: string) =>
      db
        .selectFrom('usage_logs')
        .select('request_id')
        .where((eb) => likeContains(eb.ref('model_name'), text))
        .orderBy('request_id')
        .execute()
        .then((found) => found.map((r) => r.request_id));
    expect(await find('CLAUDE')).toEqual(['r_2']);
    expect(await find('3_5')).toEqual(['r_2']);
    expect(await find('_')).toEqual(['r_2']);
    expect(await find('%')).toEqual([]);
    expect(await find('!')).toEqual([]);
    expect(await find('4o')).toEqual(['r1']);
  });
});
