import type { Kysely } from 'kysely';
import { dialectOf, notNullDefault, tableOptions } from './helpers.js';

/**
 * What several gateway processes coordinate through when they share one database: leases (who runs
 * the scheduled jobs) and marks (the last change of each snapshot, the last run of each job).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  await tableOptions(db.schema.createTable('cluster_leases'), dialect)
    .addColumn('name', 'varchar(64)', (col) => col.primaryKey().notNull())
    .addColumn('holder', 'varchar(128)', notNullDefault(''))
    .addColumn('expires_at', 'bigint', notNullDefault(0))
    .execute();
  await tableOptions(db.schema.createTable('cluster_marks'), dialect)
    .addColumn('name', 'varchar(64)', (col) => col.primaryKey().notNull())
    .addColumn('value', 'varchar(128)', notNullDefault(''))
    .addColumn('updated_at', 'bigint', notNullDefault(0))
    .execute();
}
