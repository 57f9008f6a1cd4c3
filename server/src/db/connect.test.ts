import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createDatabase } from './connect.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ga-connect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('opens SQLite in WAL mode with a busy timeout', async () => {
  const db = createDatabase({ driver: 'sqlite', sqlitePath: path.join(dir, 'wal.db') });
  try {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    expect(timeout.rows[0]?.timeout).toBeGreaterThanOrEqual(5000);
  } finally {
    await db.destroy();
  }
});
