import type { Kysely } from 'kysely';
import { dialectOf, notNullDefault, tableOptions, textColumn, withId } from './helpers.js';

/** The seed's eight tables, their identities (unique keys) and the indexes later queries need. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  const zero = notNullDefault(0);
  const emptyString = notNullDefault('');
  const create = (name: string) => db.schema.createTable(name);

  await tableOptions(withId(create('users'), dialect), dialect)
    .addColumn('username', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (col) => col.notNull())
    .addColumn('display_name', 'varchar(64)', emptyString)
    .addColumn('email', 'varchar(128)', emptyString)
    .addColumn('role', 'integer', notNullDefault(1))
    .addColumn('status', 'integer', notNullDefault(1))
    .addColumn('access_token_hash', 'varchar(64)', (col) => col.unique())
    .addColumn('session_version', 'integer', zero)
    .addColumn('created_at', 'bigint', zero)
    .addColumn('updated_at', 'bigint', zero)
    .execute();

  await tableOptions(create('options'), dialect)
    .addColumn('key', 'varchar(64)', (col) => col.primaryKey().notNull()) // SQLite lets a text primary key be NULL unless told
    .addColumn('value', 'text', textColumn)
    .addColumn('updated_at', 'bigint', zero)
    .execute();

  await tableOptions(withId(create('providers'), dialect), dialect)
    .addColumn('name', 'varchar(128)', (col) => col.notNull().unique())
    .addColumn('base_url', 'varchar(512)', (col) => col.notNull())
    .addColumn('access_token', 'text', textColumn)
    .addColumn('user_id', 'integer', zero)
    .addColumn('weight', 'integer', notNullDefault(10))
    .addColumn('priority', 'integer', zero)
    .addColumn('status', 'integer', notNullDefault(1))
    .addColumn('checkin_enabled', 'integer', zero)
    .addColumn('last_checkin_at', 'bigint', zero)
    .addColumn('last_checkin_result', 'text', textColumn)
    .addColumn('last_synced_at', 'bigint', zero)
    .addColumn('last_sync_result', 'text', textColumn)
    .addColumn('balance_usd', 'double precision')
    .addColumn('balance_updated_at', 'bigint', zero)
    .addColumn('group_ratios', 'text', textColumn)
    .addColumn('auto_groups', 'text', textColumn)
    .addColumn('user_group', 'varchar(64)', emptyString)
    .addColumn('remark', 'text', textColumn)
    .addColumn('created_at', 'bigint', zero)
    .addColumn('updated_at', 'bigint', zero)
    .execute();

  await tableOptions(withId(create('provider_tokens'), dialect), dialect)
    .addColumn('provider_id', 'integer', (col) => col.notNull())
    .addColumn('upstream_token_id', 'bigint', (col) => col.notNull())
    .addColumn('sk_key', 'text', textColumn)
    .addColumn('name', 'varchar(255)', emptyString)
    .addColumn('group_name', 'varchar(64)', emptyString)
    .addColumn('status', 'integer', notNullDefault(1))
    .addColumn('remain_quota', 'bigint', zero)
    .addColumn('used_quota', 'bigint', zero)
    .addColumn('unlimited_quota', 'integer', zero)
    .addColumn('model_limits_enabled', 'integer', zero)
    .addColumn('model_limits', 'text', textColumn)
    .addColumn('expired_time', 'bigint', notNullDefault(-1))
    .addColumn('last_synced_at', 'bigint', zero)
    .addColumn('created_at', 'bigint', zero)
    .addUniqueConstraint('provider_tokens_provider_upstream_unique', ['provider_id', 'upstream_token_id'])
    .execute();

  await tableOptions(withId(create('aggregated_tokens'), dialect), dialect)
    .addColumn('user_id', 'integer', (col) => col.notNull())
    .addColumn('key', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(64)', emptyString)
    .addColumn('status', 'integer', notNullDefault(1))
    .addColumn('expired_time', 'bigint', notNullDefault(-1))
    .addColumn('model_limits_enabled', 'integer', zero)
    .addColumn('model_limits', 'text', textColumn)
    .addColumn('allow_ips', 'text', textColumn)
    .addColumn('created_at', 'bigint', zero)
    .addColumn('updated_at', 'bigint', zero)
    .addColumn('accessed_at', 'bigint', zero)
    .execute();
  await db.schema.createIndex('aggregated_tokens_user_idx').on('aggregated_tokens').column('user_id').execute();

  await tableOptions(withId(create('model_routes'), dialect), dialect)
    .addColumn('model_name', 'varchar(191)', (col) => col.notNull())
    .addColumn('provider_id', 'integer', (col) => col.notNull())
    .addColumn('provider_token_id', 'integer', (col) => col.notNull())
    .addColumn('priority', 'integer', zero)
    .addColumn('weight', 'integer', notNullDefault(10))
    .addColumn('enabled', 'integer', notNullDefault(1))
    .addColumn('overridden', 'integer', zero)
    .addColumn('created_at', 'bigint', zero)
    .addColumn('updated_at', 'bigint', zero)
    .addUniqueConstraint('model_routes_model_token_unique', ['model_name', 'provider_token_id'])
    .execute();
  await db.schema.createIndex('model_routes_provider_idx').on('model_routes').column('provider_id').execute();
  await db.schema.createIndex('model_routes_token_idx').on('model_routes').column('provider_token_id').execute();

  await tableOptions(withId(create('model_pricings'), dialect), dialect)
    .addColumn('provider_id', 'integer', (col) => col.notNull())
    .addColumn('model_name', 'varchar(191)', (col) => col.notNull())
    .addColumn('quota_type', 'integer', zero)
    .addColumn('model_ratio', 'double precision', zero)
    .addColumn('completion_ratio', 'double precision', notNullDefault(1))
    .addColumn('model_price', 'double precision', zero)
    .addColumn('enable_groups', 'text', textColumn)
    .addColumn('supported_endpoint_types', 'text', textColumn)
    .addColumn('last_synced_at', 'bigint', zero)
    .addUniqueConstraint('model_pricings_provider_model_unique', ['provider_id', 'model_name'])
    .execute();

  await createUsageLogs(db, dialect);
}

async function createUsageLogs(db: Kysely<unknown>, dialect: ReturnType<typeof dialectOf>): Promise<void> {
  const zero = notNullDefault(0);
  const emptyString = notNullDefault('');
  await tableOptions(withId(db.schema.createTable('usage_logs'), dialect, true), dialect)
    .addColumn('request_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'integer', zero)
    .addColumn('aggregated_token_id', 'integer', zero)
    .addColumn('provider_id', 'integer', zero)
    .addColumn('provider_name', 'varchar(128)', emptyString)
    .addColumn('provider_token_id', 'integer', zero)
    .addColumn('route_id', 'integer', zero)
    .addColumn('model_name', 'varchar(191)', emptyString)
    .addColumn('endpoint', 'varchar(128)', emptyString)
    .addColumn('is_stream', 'integer', zero)
    .addColumn('status', 'integer', zero)
    .addColumn('http_status', 'integer', zero)
    .addColumn('error_type', 'varchar(64)', emptyString)
    .addColumn('error_message', 'text', textColumn)
    .addColumn('attempt', 'integer', notNullDefault(1))
    .addColumn('final', 'integer', notNullDefault(1))
    .addColumn('latency_ms', 'integer', zero)
    .addColumn('first_byte_ms', 'integer', zero)
    .addColumn('prompt_tokens', 'integer', zero)
    .addColumn('completion_tokens', 'integer', zero)
    .addColumn('cache_tokens', 'integer', zero)
    .addColumn('total_tokens', 'integer', zero)
    .addColumn('cost_usd', 'double precision', zero)
    .addColumn('client_ip', 'varchar(64)', emptyString)
    .addColumn('user_agent', 'varchar(512)', emptyString)
    .execute();
  // Every log query filters by time and usually one more column; these serve those filters.
  const indexes: Array<[string, string[]]> = [
    ['usage_logs_created_idx', ['created_at']],
    ['usage_logs_user_created_idx', ['user_id', 'created_at']],
    ['usage_logs_token_created_idx', ['aggregated_token_id', 'created_at']],
    ['usage_logs_provider_created_idx', ['provider_id', 'created_at']],
    ['usage_logs_model_created_idx', ['model_name', 'created_at']],
    ['usage_logs_request_idx', ['request_id']],
    ['usage_logs_final_created_idx', ['final', 'created_at']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('usage_logs').columns(columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'usage_logs',
    'model_pricings',
    'model_routes',
    'aggregated_tokens',
    'provider_tokens',
    'providers',
    'options',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
