import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, sqliteHandleOf } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { ModelRoutesRepo } from './model-routes.js';
import { visitEnabledRoutes } from './routes-sqlite.js';

const route = (model_name: string, provider_token_id: number, priority = 0, weight = 10, enabled = 1) => ({
  model_name,
  provider_id: provider_token_id < 10 ? 1 : 2,
  provider_token_id,
  priority,
  weight,
  enabled,
});

type Visited = [number, string, number, number, number, number];

describe('enabled routes read from SQLite in groups', () => {
  const db = createDatabase({ driver: 'sqlite', sqlitePath: ':memory:' });

  beforeAll(async () => {
    await migrateToLatest(db);
    // Interleaved tokens, priorities and weights, so that groups and ids do not follow each other.
    await db
      .insertInto('model_routes')
      .values([
        route('gpt-b', 1),
        route('gpt-a', 11, 5, 3),
        route('gpt-a', 1),
        route('gpt-c', 1, 2),
        route('gpt-b', 11, 5, 3),
        route('gpt-off', 1, 0, 10, 0),
        route('名字, with a comma', 11, 5, 3),
      ])
      .execute();
  });

  afterAll(() => db.destroy());

  const visit = async () => {
    const seen: Visited[] = [];
    const handle = sqliteHandleOf(db)!;
    const grouped = await db
      .connection()
      .execute(() => Promise.resolve(visitEnabledRoutes(handle, (...args) => seen.push(args))));
    return { grouped, seen: seen.sort((a, b) => a[0] - b[0]) };
  };

  it('visits every enabled route once, each id with its own model, token, priority and weight', async () => {
    const { grouped, seen } = await visit();
    expect(grouped).toBe(true);
    expect(seen).toEqual([
      [1, 'gpt-b', 0, 10, 1, 1],
      [2, 'gpt-a', 5, 3, 2, 11],
      [3, 'gpt-a', 0, 10, 1, 1],
      [4, 'gpt-c', 2, 10, 1, 1],
      [5, 'gpt-b', 5, 3, 2, 11],
      [7, '名字, with a comma', 5, 3, 2, 11],
    ]);
  });

  it('declines, visiting nothing, when a model name holds the separator, and the repo still reads every route', async () => {
    await db.insertInto('model_routes').values(route('odd\u001fname', 1)).execute();
    const { grouped, seen } = await visit();
    expect(grouped).toBe(false);
    expect(seen).toEqual([]);
    const text = { access_token: '', last_checkin_result: '', last_sync_result: '', group_ratios: '{}' };
    await db
      .insertInto('providers')
      .values({ id: 1, name: 'p', base_url: 'http://p', auto_groups: '[]', remark: '', ...text })
      .execute();
    await db
      .insertInto('provider_tokens')
      .values({ id: 1, provider_id: 1, upstream_token_id: 1, sk_key: 'sk-1', model_limits: '' })
      .execute();
    const routable = await new ModelRoutesRepo(db).routable();
    expect(routable.map((r) => [r.id, r.model_name])).toEqual([
      [1, 'gpt-b'],
      [3, 'gpt-a'],
      [4, 'gpt-c'],
      [8, 'odd\u001fname'],
    ]);
  });
});
