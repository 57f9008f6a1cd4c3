import { Migrator, type Kysely, type Migration } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as init from '../../src/db/migrations/0001_init.js';
import * as cluster from '../../src/db/migrations/0002_cluster.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { openTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { inspectSchema } from '../helpers/schema-inspect.js';

const BEFORE: Record<string, Migration> = { '0001_init': init, '0002_cluster': cluster };

const route = (model_name: string, provider_token_id: number) => ({
  model_name,
  provider_id: 1,
  provider_token_id,
  priority: 5,
  weight: 7,
  enabled: 1,
  overridden: 1,
  created_at: 100,
  updated_at: 200,
});

describeEachDatabase(
  '0003 moves the route key to (token, model) on a database that has routes',
  (database, dialect) => {
    let db: Kysely<Database>;

    beforeAll(async () => {
      db = openTestDatabase(database());
      const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(BEFORE) } });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error('migrating to 0002 failed', { cause: error });
      await db
        .insertInto('model_routes')
        .values([route('gpt-a', 1), route('gpt-b', 1), route('gpt-a', 2)])
        .execute();
      await db
        .deleteFrom('model_routes')
        .where('model_name', '=', 'gpt-a')
        .where('provider_token_id', '=', 2)
        .execute();
      await migrateToLatest(db);
    });

    afterAll(async () => {
      await db.destroy();
    });

    it('keeps every route with its id and its admin edits', async () => {
      const rows = await db.selectFrom('model_routes').selectAll().orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, ...route('gpt-a', 1) },
        { id: 2, ...route('gpt-b', 1) },
      ]);
    });

    it('does not hand out the id of a route deleted before it ran', async () => {
      const insert = db.insertInto('model_routes').values(route('gpt-c', 1));
      // PostgreSQL reports no insert id without RETURNING; the others report it on the result.
      const id =
        dialect === 'postgres'
          ? (await insert.returning('id').executeTakeFirstOrThrow()).id
          : Number((await insert.executeTakeFirstOrThrow()).insertId);
      expect(id).toBe(4);
    });

    it('still refuses a second route for the same model and token', async () => {
      await expect(db.insertInto('model_routes').values(route('gpt-b', 1)).execute()).rejects.toThrow(
        /unique|duplicate/i,
      );
    });

    it('leaves the token-first key and the provider index, and nothing that leads with the model', async () => {
      const shape = (await inspectSchema(db as Kysely<unknown>, dialect)).model_routes!;
      expect(shape.uniqueKeys).toEqual(expect.arrayContaining(['id', 'provider_token_id,model_name']));
      expect(shape.uniqueKeys).not.toContain('model_name,provider_token_id');
      expect(shape.indexes).toEqual(['provider_id']);
    });
  },
);
