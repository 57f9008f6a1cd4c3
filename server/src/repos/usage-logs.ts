import type { Kysely } from 'kysely';
import { sqliteHandleOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { forEachChunk } from './batch.js';
import { SqliteUsageInsert } from './usage-logs-sqlite.js';

export class UsageLogsRepo {
  private sqliteInsert: SqliteUsageInsert | undefined;

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

  /** Many rows in one transaction: all land or none do, so a retry never writes a row twice. */
  async insertMany(rows: readonly UsageRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const sqlite = this.sqlite();
    if (sqlite) return sqlite.insertMany(rows);
    await this.db
      .transaction()
      .execute((trx) => forEachChunk(rows, (chunk) => trx.insertInto('usage_logs').values(chunk).execute()));
  }

  private sqlite(): SqliteUsageInsert | undefined {
    if (this.sqliteInsert === undefined) {
      const handle = sqliteHandleOf(this.db);
      if (handle) this.sqliteInsert = new SqliteUsageInsert(this.db, handle);
    }
    return this.sqliteInsert;
  }
}
