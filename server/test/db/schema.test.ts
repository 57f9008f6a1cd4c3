import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import {
  DIALECTS,
  createTestDatabase,
  openTestDatabase,
  type DialectName,
  type TestDatabase,
} from '../helpers/databases.js';
import { unavailableReason } from '../helpers/matrix.js';
import { inspectSchema, type TableShape } from '../helpers/schema-inspect.js';

const available = DIALECTS.filter((d) => d === 'sqlite' || unavailableReason(d) === null);
const schemas = new Map<DialectName, Record<string, TableShape>>();
const opened: Array<{ database: TestDatabase; db: Kysely<Database> }> = [];

beforeAll(async () => {
  for (const dialect of available) {
    const database = await createTestDatabase(dialect);
    const db = openTestDatabase(database);
    opened.push({ database, db });
    await migrateToLatest(db);
    schemas.set(dialect, await inspectSchema(db as Kysely<unknown>, dialect));
  }
});

afterAll(async () => {
  for (const { database, db } of opened) {
    await db.destroy();
    await database.drop();
  }
});

const TABLES = [
  'aggregated_tokens',
  'cluster_leases',
  'cluster_marks',
  'model_pricings',
  'model_routes',
  'options',
  'provider_tokens',
  'providers',
  'usage_logs',
  'users',
];

describe('migrations', () => {
  it.each(available)('create the tables and their identities on %s', (dialect) => {
    const schema = schemas.get(dialect)!;
    const appTables = Object.keys(schema).filter((t) => !t.startsWith('kysely_'));
    expect(appTables.sort()).toEqual(TABLES);
    expect(schema.users!.uniqueKeys).toEqual(expect.arrayContaining(['id', 'username', 'access_token_hash']));
    expect(schema.providers!.uniqueKeys).toContain('name');
    expect(schema.provider_tokens!.uniqueKeys).toContain('provider_id,upstream_token_id');
    expect(schema.aggregated_tokens!.uniqueKeys).toContain('key');
    expect(schema.model_routes!.uniqueKeys).toContain('provider_token_id,model_name');
    expect(schema.model_pricings!.uniqueKeys).toContain('provider_id,model_name');
    expect(schema.options!.uniqueKeys).toContain('key');
    expect(schema.cluster_leases!.uniqueKeys).toContain('name');
    expect(schema.cluster_marks!.uniqueKeys).toContain('name');
    expect(schema.usage_logs!.indexes).toEqual(
      expect.arrayContaining(['created_at', 'user_id,created_at', 'provider_id,created_at', 'model_name,created_at']),
    );
  });

  it('produce the same tables, columns, nullability, unique keys and indexes on every database', () => {
    const [first, ...rest] = available;
    const reference = schemas.get(first!)!;
    for (const dialect of rest) {
      expect({ dialect, schema: schemas.get(dialect) }).toEqual({ dialect, schema: reference });
    }
  });

  it('are idempotent: a second run applies nothing', async () => {
    for (const { db } of opened) expect(await migrateToLatest(db)).toEqual([]);
  });
});
