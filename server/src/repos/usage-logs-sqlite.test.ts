import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { UsageLogsRepo } from './usage-logs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ga-usage-sqlite-'));
const db = createDatabase({ driver: 'sqlite', sqlitePath: path.join(dir, 'usage.db') });
const repo = new UsageLogsRepo(db);
beforeAll(() => migrateToLatest(db));
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

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
  error_message: 'é "quoted"',
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

it('writes every field of every row, across several slices', async () => {
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
