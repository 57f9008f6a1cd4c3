import { afterAll, beforeAll, describe, inject } from 'vitest';
import { DIALECTS, createTestDatabase, type DialectName, type TestDatabase } from './databases.js';

/** Why a service's tests are skipped on this machine, or null when it is reachable. */
export function unavailableReason(service: 'mysql' | 'postgres' | 'redis' | 'chromium'): string | null {
  return inject('unavailable')[service];
}

/**
 * Runs the same tests once per database (the Kysely way): a fresh database each, created before
 * the block and dropped after it. A database that is unreachable here is skipped, by name.
 */
export function describeEachDatabase(
  title: string,
  body: (db: () => TestDatabase, dialect: DialectName) => void,
): void {
  for (const dialect of DIALECTS) {
    const reason = dialect === 'sqlite' ? null : unavailableReason(dialect);
    describe.skipIf(reason !== null)(`${title} [${dialect}]${reason ? ` (skipped: ${reason})` : ''}`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.drop();
      });
      body(() => {
        if (!database) throw new Error(`the ${dialect} test database was not created`);
        return database;
      }, dialect);
    });
  }
}

export type { DialectName };
