import {
  MysqlAdapter,
  PostgresAdapter,
  sql,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
} from 'kysely';

/** The one place migrations learn which database they run on. */
export type Dialect = 'sqlite' | 'mysql' | 'postgres';

export function dialectOf(db: Kysely<unknown>): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  return 'sqlite';
}

/** An auto-incrementing integer primary key, spelled the way each database wants it. */
export function withId<T extends string>(
  table: CreateTableBuilder<T>,
  dialect: Dialect,
  big = false,
): CreateTableBuilder<T, 'id'> {
  if (dialect === 'postgres') {
    return table.addColumn('id', big ? 'bigserial' : 'serial', (col) => col.primaryKey());
  }
  if (dialect === 'mysql') {
    return table.addColumn('id', big ? 'bigint' : 'integer', (col) => col.primaryKey().autoIncrement());
  }
  // SQLite's rowid alias must be spelled INTEGER PRIMARY KEY to auto-increment.
  return table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());
}

export const notNullDefault =
  (value: string | number) =>
  (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    col.notNull().defaultTo(value);

/** MySQL cannot give TEXT a literal default; the application always writes these columns. */
export const textColumn = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder => col.notNull();

/** Makes MySQL tables utf8mb4/InnoDB explicitly so model names with any character index the same way. */
export function tableOptions<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  dialect: Dialect,
): CreateTableBuilder<T, C> {
  return dialect === 'mysql' ? table.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : table;
}
