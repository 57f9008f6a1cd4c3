import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';

/** Leases and marks in the shared database: the coordination that works without Redis. */
export class ClusterStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes the lease, or extends it when `holder` already has it. A lease whose holder stopped
   * renewing is free once it expires. One conditional UPDATE decides, so two processes racing
   * for a free lease cannot both win.
   */
  async tryLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    await this.ensureRow('cluster_leases', name);
    const result = await this.db
      .updateTable('cluster_leases')
      .set({ holder, expires_at: nowMs + ttlMs })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', nowMs)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives the lease up at once, so another process need not wait for it to expire. */
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db
      .updateTable('cluster_leases')
      .set({ holder: '', expires_at: 0 })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute();
  }

  async setMark(name: string, value: string, nowMs: number): Promise<void> {
    await this.ensureRow('cluster_marks', name);
    await this.db.updateTable('cluster_marks').set({ value, updated_at: nowMs }).where('name', '=', name).execute();
  }

  async getMark(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('cluster_marks').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  /** Every mark whose name starts with `prefix`, by name. */
  async marksStartingWith(prefix: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('cluster_marks')
      .select(['name', 'value'])
      .where('name', 'like', `${prefix}%`)
      .execute();
    return new Map(rows.map((row) => [row.name, row.value]));
  }

  private async ensureRow(table: 'cluster_leases' | 'cluster_marks', name: string): Promise<void> {
    const existing = await this.db.selectFrom(table).select('name').where('name', '=', name).executeTakeFirst();
    if (existing) return;
    try {
      await this.db.insertInto(table).values({ name }).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // a peer inserted it first: just as good
    }
  }
}
