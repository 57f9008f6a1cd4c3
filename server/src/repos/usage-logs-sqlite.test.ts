import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { USAGE_COLUMNS } from './usage-insert.js';
import { UsageLogsRepo } from './usage-logs.js';
import { UsageWriterThread } from './usage-logs-thread.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ga-usage-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (request_id: string): UsageRecord => ({
  request_id,
  created_at: 1_764_400_000,
  user_id: 1,
  aggregated_token_id: 2,
  provider_id: 3,
  provider_name: 'p',
  provider_token_id: 4,
  route_id: 5,
  model_name: 'm',
  endpoint: '/v1/chat/completions',
  is_stream: 1,
  status: 1,
  http_status: 200,
  error_type: '',
  error_message: 'é "quoted" 😀\n\\ \u0000',
  attempt: 2,
  final: 1,
  latency_ms: 12,
  first_byte_ms: 3,
  prompt_tokens: 10,
  completion_tokens: 20,
  cache_tokens: 1,
  total_tokens: 30,
  cost_usd: 0.00125,
  client_ip: '::1',
  user_agent: 'ua',
});

// A file is written from the writer thread; an in-memory database (no second connection can
// reach it) on the event loop.
describe.each([
  ['a database file', path.join(dir, 'usage.db')],
  ['an in-memory database', ':memory:'],
])('usage rows into %s', (_name, sqlitePath) => {
  const db = createDatabase({ driver: 'sqlite', sqlitePath });
  const repo = new UsageLogsRepo(db);
  beforeAll(() => migrateToLatest(db));
  afterAll(async () => {
    await repo.close();
    await db.destroy();
  });

  it('writes every field of every row', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(`r${i}`));
    await repo.insertMany(rows);
    const stored = await db.selectFrom('usage_logs').selectAll().orderBy('id').execute();
    expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual(rows);
  });

  it('writes a batch whole or not at all, and works again afterwards', async () => {
    const before = (await db.selectFrom('usage_logs').select('id').execute()).length;
    await sql`create trigger refuse_bad before insert on usage_logs when new.request_id = 'bad'
      begin select raise(abort, 'refused'); end`.execute(db);
    const batch = Array.from({ length: 150 }, (_, i) => row(i === 140 ? 'bad' : `b${i}`));
    await expect(repo.insertMany(batch)).rejects.toThrow(/refused/);
    expect((await db.selectFrom('usage_logs').select('id').execute()).length).toBe(before);
    await sql`drop trigger refuse_bad`.execute(db);
    await repo.insertMany(batch);
    expect((await db.selectFrom('usage_logs').select('id').execute()).length).toBe(before + 150);
  });
});

describe('UsageWriterThread', () => {
  it('says it failed when it cannot start, so the caller writes in-thread', async () => {
    const thread = new UsageWriterThread({
      path: path.join(dir, 'missing', 'none.db'),
      sql: 'insert into usage_logs (request_id) values (?)',
      width: USAGE_COLUMNS.length,
      busyTimeoutMs: 100,
    });
    await expect(thread.insert(['x'])).rejects.toThrow();
    expect(thread.failed).toBe(true);
    await thread.close();
  });
});
