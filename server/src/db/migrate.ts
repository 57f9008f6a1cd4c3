import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import * as init from './migrations/0001_init.js';
import * as cluster from './migrations/0002_cluster.js';
import * as routeKeyOrder from './migrations/0003_route_key_order.js';

/** Migrations are listed here, not read from disk, so the compiled build carries them. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_init': init,
  '0002_cluster': cluster,
  '0003_route_key_order': routeKeyOrder,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

const MAX_ATTEMPTS = 20;

/**
 * Brings the schema to the latest version. Several processes may start at once: Kysely takes a
 * lock on MySQL and PostgreSQL, and on SQLite a process that loses the race for the write lock
 * sees SQLITE_BUSY and simply tries again after the winner has finished.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  for (let attempt = 1; ; attempt++) {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (!error) return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt >= MAX_ATTEMPTS || !isRetryable(error))
      throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  // A peer created the migration tables between our check and our CREATE.
  return /already exists|duplicate key|ER_TABLE_EXISTS/i.test(String((error as Error | null)?.message));
}
