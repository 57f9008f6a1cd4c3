import type { Kysely } from 'kysely';
import { sqliteHandleOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { forEachChunk } from './batch.js';
import { insertAll } from './bulk-insert.js';
import { USAGE_COLUMNS, usageInsertSql, usageValuesFlat } from './usage-insert.js';
import { UsageWriterThread } from './usage-logs-thread.js';

export class UsageLogsRepo {
  private writerThread: UsageWriterThread | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Ids of rows older than `cutoff`, oldest first: one small batch for the retention job. */
  async idsOlderThan(cutoff: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('usage_logs')
      .select('id')
      .where('created_at', '<', cutoff)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  async deleteIds(ids: readonly number[]): Promise<void> {
    await forEachChunk(ids, (chunk) => this.db.deleteFrom('usage_logs').where('id', 'in', chunk).execute());
  }

  /**
   * Many rows in one transaction: all land or none do, so a retry never writes a row twice. A
   * SQLite file is written from a thread of its own (usage-logs-thread.ts), or on the event loop
   * in short slices when that thread cannot run (an in-memory database, or it failed); the other
   * databases through Kysely, whose drivers do not hold up the event loop.
   */
  async insertMany(rows: readonly UsageRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const thread = this.thread();
    if (thread) return thread.insert(usageValuesFlat(rows));
    await this.db.transaction().execute((trx) => insertAll(this.db, trx, 'usage_logs', rows));
  }

  /** Stops the writer thread, if one was started (after the last batch). */
  async close(): Promise<void> {
    const thread = this.writerThread;
    this.writerThread = undefined;
    await thread?.close();
  }

  private thread(): UsageWriterThread | undefined {
    if (this.writerThread === undefined) {
      const handle = sqliteHandleOf(this.db);
      if (!handle || handle.memory || handle.name === '') return undefined;
      this.writerThread = new UsageWriterThread({
        path: handle.name,
        sql: usageInsertSql(this.db),
        width: USAGE_COLUMNS.length,
        busyTimeoutMs: Number(handle.pragma('busy_timeout', { simple: true })),
      });
    }
    return this.writerThread.failed ? undefined : this.writerThread;
  }
}
