import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { forEachChunk } from './batch.js';

export class UsageLogsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Many rows in one transaction: all land or none do, so a retry never writes a row twice. */
  async insertMany(rows: readonly UsageRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .transaction()
      .execute((trx) => forEachChunk(rows, (chunk) => trx.insertInto('usage_logs').values(chunk).execute()));
  }
}
