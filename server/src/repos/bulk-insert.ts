import type SQLite from 'better-sqlite3';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { sqliteHandleOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { forEachChunk, insertChunkRows } from './batch.js';

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * How long the rows may hold the event loop before the relay gets a turn (the transaction stays
 * open). A request that arrives meanwhile waits for a slice, not for the batch; slices much shorter
 * than this spread that wait over more requests (each spans several turns), which showed in the
 * usage writer's p99 at low concurrency.
 */
const SLICE_MS = 0.5;
/** Rows between two looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 8;

/**
 * Many rows into one table, inside a transaction `trx` holds. Every row must have the first row's
 * columns; `shared` holds the columns that are the same in every row (none of the rows' own). On SQLite one single-row statement, prepared once, runs for every row: Kysely parses,
 * compiles and prepares each multi-row insert anew, and for a first sync's 500,000 routes that
 * cost more than the inserts did. It runs on the one connection the transaction holds, so the rows
 * are part of it, in slices of SLICE_MS so that requests in flight are not held up for the whole
 * batch. The other databases take multi-row inserts in chunks.
 */
export async function insertAll<T extends keyof Database, Row extends Partial<Insertable<Database[T]>>>(
  db: Kysely<Database>,
  trx: Transaction<Database>,
  table: T,
  rows: readonly Row[],
  shared: Partial<Insertable<Database[T]>> = {},
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const whole = (row: Row) => ({ ...row, ...shared }) as unknown as Insertable<Database[T]>;
  const columns = Object.keys(first);
  const handle = sqliteHandleOf(db);
  if (!handle) {
    await forEachChunk(
      rows,
      (chunk) => trx.insertInto(table).values(chunk.map(whole)).execute(),
      insertChunkRows(columns.length + Object.keys(shared).length),
    );
    return;
  }
  const sql = trx.insertInto(table).values(whole(first)).compile().sql;
  const statement = prepared(handle, sql);
  // The placeholders follow the compiled row's keys: the row's own columns, then the shared ones.
  const values = [...columns.map(() => null), ...Object.values(shared)];
  try {
    let sliceEnds = performance.now() + SLICE_MS;
    for (let n = 0; n < rows.length; n++) {
      if (n % ROWS_PER_CLOCK_CHECK === 0 && n > 0 && performance.now() > sliceEnds) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceEnds = performance.now() + SLICE_MS;
      }
      const row = rows[n] as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!];
      statement.run(values);
    }
  } catch (error) {
    // Prepared again next time: the table may have changed under it.
    statements.get(handle)?.delete(sql);
    throw error;
  }
}

function prepared(handle: SQLite.Database, sql: string): SQLite.Statement {
  let cache = statements.get(handle);
  if (!cache) statements.set(handle, (cache = new Map<string, SQLite.Statement>()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = handle.prepare(sql)));
  return statement;
}
