import { sql, type Kysely } from 'kysely';
import type { DialectName } from './databases.js';

export interface TableShape {
  columns: Record<string, { type: string; nullable: boolean }>;
  /** Column lists of every unique key, primary key included, each as "a,b". */
  uniqueKeys: string[];
  /** Column lists of the non-unique indexes. */
  indexes: string[];
}

/** Types reduced to families, since each database spells them its own way. */
function typeFamily(type: string): string {
  const t = type.toLowerCase();
  if (/^(bigint|int8|bigserial)/.test(t)) return 'bigint';
  if (/^(int|integer|int4|serial|smallint)/.test(t)) return 'int';
  if (/^(double|float|real)/.test(t)) return 'float';
  if (/^(varchar|character varying|text|char)/.test(t)) return 'text';
  return t;
}

export async function inspectSchema(db: Kysely<unknown>, dialect: DialectName): Promise<Record<string, TableShape>> {
  const tables = await db.introspection.getTables();
  const result: Record<string, TableShape> = {};
  for (const table of tables) {
    const columns: TableShape['columns'] = {};
    for (const column of table.columns) {
      // SQLite's auto-increment key is always INTEGER and reported nullable; neither is a real difference.
      columns[column.name] =
        column.name === 'id'
          ? { type: 'id', nullable: false }
          : { type: typeFamily(column.dataType), nullable: column.isNullable };
    }
    const keys = await indexColumns(db, dialect, table.name);
    result[table.name] = {
      columns,
      uniqueKeys: keys
        .filter((k) => k.unique)
        .map((k) => k.columns)
        .sort(),
      indexes: keys
        .filter((k) => !k.unique)
        .map((k) => k.columns)
        .sort(),
    };
  }
  return result;
}

async function indexColumns(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
): Promise<Array<{ unique: boolean; columns: string }>> {
  if (dialect === 'sqlite') {
    const list = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${table})`.execute(db);
    const keys = await Promise.all(
      list.rows.map(async (index) => {
        const info = await sql<{
          name: string;
        }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
        return { unique: index.unique === 1, columns: info.rows.map((r) => r.name).join(',') };
      }),
    );
    // An INTEGER PRIMARY KEY is the rowid and has no index of its own.
    const pk = await sql<{
      name: string;
    }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db);
    if (!keys.some((k) => k.columns === pk.rows.map((r) => r.name).join(','))) {
      keys.push({ unique: true, columns: pk.rows.map((r) => r.name).join(',') });
    }
    return keys;
  }
  if (dialect === 'mysql') {
    const rows = await sql<{ index_name: string; non_unique: number; columns: string }>`
      select index_name as index_name, max(non_unique) as non_unique,
             group_concat(column_name order by seq_in_index separator ',') as columns
      from information_schema.statistics
      where table_schema = database() and table_name = ${table}
      group by index_name`.execute(db);
    return rows.rows.map((r) => ({ unique: Number(r.non_unique) === 0, columns: r.columns }));
  }
  const rows = await sql<{ unique: boolean; columns: string }>`
    select i.indisunique as unique,
           string_agg(a.attname, ',' order by array_position(i.indkey, a.attnum)) as columns
    from pg_index i
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    join pg_attribute a on a.attrelid = t.oid and a.attnum = any(i.indkey)
    where t.relname = ${table} and n.nspname = current_schema()
    group by i.indexrelid, i.indisunique`.execute(db);
  return rows.rows.map((r) => ({ unique: r.unique, columns: r.columns }));
}
