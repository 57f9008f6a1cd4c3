import { sql, type Kysely } from 'kysely';
import { dialectOf, notNullDefault, tableOptions, withId, type Dialect } from './helpers.js';

const OLD_UNIQUE = 'model_routes_model_token_unique';
const NEW_UNIQUE = 'model_routes_token_model_unique';

/**
 * A route's identity stays the pair (model, provider token), but its index now leads with the
 * token. A sync writes one provider's routes at a time, and a provider's tokens have neighbouring
 * ids, so its routes land together at the end of a token-first index; with the model first they
 * were spread over the whole index, one page per model, and a first sync of 500,000 routes spent
 * most of its time in that index. The token index is dropped: the new key serves its lookups.
 * Nothing reads routes by model on the relay's path (that is the in-memory route table); the
 * admin pages that filter by model scan instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  if (dialect === 'sqlite') {
    await rebuildSqliteTable(db);
    return;
  }
  await db.schema
    .alterTable('model_routes')
    .addUniqueConstraint(NEW_UNIQUE, ['provider_token_id', 'model_name'])
    .execute();
  if (dialect === 'mysql') {
    await db.schema.dropIndex(OLD_UNIQUE).on('model_routes').execute();
    await db.schema.dropIndex('model_routes_token_idx').on('model_routes').execute();
  } else {
    await db.schema.alterTable('model_routes').dropConstraint(OLD_UNIQUE).execute();
    await db.schema.dropIndex('model_routes_token_idx').execute();
  }
}

/** SQLite cannot drop a constraint: the table is made again with the new one, the way SQLite documents. */
async function rebuildSqliteTable(db: Kysely<unknown>): Promise<void> {
  await createRoutesTable(db, 'model_routes_next', 'sqlite');
  await sql`insert into model_routes_next select * from model_routes`.execute(db);
  // Keeps ids of deleted routes from being handed out again (call logs still name them).
  await sql`delete from sqlite_sequence where name = 'model_routes_next'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq)
    select 'model_routes_next', seq from sqlite_sequence where name = 'model_routes'`.execute(db);
  await db.schema.dropTable('model_routes').execute();
  await db.schema.alterTable('model_routes_next').renameTo('model_routes').execute();
  await db.schema.createIndex('model_routes_provider_idx').on('model_routes').column('provider_id').execute();
}

/** The routes table as 0001_init made it, with the token-first key. */
function createRoutesTable(db: Kysely<unknown>, name: string, dialect: Dialect) {
  const zero = notNullDefault(0);
  return tableOptions(withId(db.schema.createTable(name), dialect), dialect)
    .addColumn('model_name', 'varchar(191)', (col) => col.notNull())
    .addColumn('provider_id', 'integer', (col) => col.notNull())
    .addColumn('provider_token_id', 'integer', (col) => col.notNull())
    .addColumn('priority', 'integer', zero)
    .addColumn('weight', 'integer', notNullDefault(10))
    .addColumn('enabled', 'integer', notNullDefault(1))
    .addColumn('overridden', 'integer', zero)
    .addColumn('created_at', 'bigint', zero)
    .addColumn('updated_at', 'bigint', zero)
    .addUniqueConstraint(NEW_UNIQUE, ['provider_token_id', 'model_name'])
    .execute();
}
