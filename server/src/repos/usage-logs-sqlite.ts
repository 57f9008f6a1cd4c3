import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { usageInsertSql, usageValues } from './usage-insert.js';

/**
 * How long one slice of a batch may hold the event loop; the next slice waits for the next turn.
 * A request that arrives while a batch is written then waits for a slice, not for the batch (on
 * this bench's box a 500-row batch takes ≈ 4 ms). Slices much shorter than this spread that wait
 * over more requests (each request spans several turns), which shows in the p99 at low
 * concurrency; one block per batch would instead stall every request in flight for its length.
 */
const SLICE_MS = 0.5;
/** Rows between two looks at the clock. */
const ROWS_PER_CLOCK_CHECK = 8;

/**
 * The usage insert on SQLite, with one prepared single-row statement reused for every row:
 * Kysely prepares each statement anew, and preparing a multi-row insert into a table with seven
 * indexes cost about twice the insert itself (≈19 µs a row against ≈7). The SQL text is still
 * Kysely's. It runs on Kysely's own connection while holding it, so no Kysely transaction is open
 * meanwhile, and in one transaction, so a batch lands whole or not at all.
 */
export class SqliteUsageInsert {
  private statement: SQLite.Statement | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly handle: SQLite.Database,
  ) {}

  async insertMany(rows: readonly UsageRecord[]): Promise<void> {
    await this.db.connection().execute(async () => {
      this.handle.exec('begin');
      try {
        let next = 0;
        while (next < rows.length) {
          if (next > 0) await new Promise((resolve) => setImmediate(resolve));
          const statement = this.prepared();
          const until = performance.now() + SLICE_MS;
          do {
            statement.run(usageValues(rows[next]!));
            next++;
          } while (next < rows.length && (next % ROWS_PER_CLOCK_CHECK !== 0 || performance.now() < until));
        }
        this.handle.exec('commit');
      } catch (error) {
        // A failed statement is prepared again next time (the table may have changed under it).
        this.statement = undefined;
        if (this.handle.inTransaction) this.handle.exec('rollback');
        throw error;
      }
    });
  }

  private prepared(): SQLite.Statement {
    this.statement ??= this.handle.prepare(usageInsertSql(this.db));
    return this.statement;
  }
}
