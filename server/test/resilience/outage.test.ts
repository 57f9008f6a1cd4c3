import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UsageLogsRepo } from '../../src/repos/usage-logs.js';
import { UsageWriter } from '../../src/services/usage-writer.js';
import { openTestDatabase } from '../helpers/databases.js';
import { describeEachDatabase } from '../helpers/matrix.js';
import { startRelayHarness, type RelayHarness } from '../relay/harness.js';

/** The usage table out of reach: the relay keeps serving, records wait, and land when it is back. */
describeEachDatabase('nothing lost while the database is away', (database) => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [{ name: 'A' }]);
  });
  afterAll(() => h.close());

  const usageTable = (name: string) => sql.table(name);
  const hide = () =>
    sql`alter table ${usageTable('usage_logs')} rename to ${usageTable('usage_logs_away')}`.execute(h.app.db);
  const restore = () =>
    sql`alter table ${usageTable('usage_logs_away')} rename to ${usageTable('usage_logs')}`.execute(h.app.db);
  const chat = () =>
    fetch(`${h.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });

  it('serves from its snapshots and writes the waiting records once the table is back', async () => {
    await h.flushUsage();
    const before = (await h.usageRows()).length;
    await hide();
    try {
      for (let i = 0; i < 3; i++) expect((await chat()).status).toBe(200);
      await h.flushUsage(); // fails: the rows stay queued
      expect(h.app.services.usageWriter.queued).toBe(3);
    } finally {
      await restore();
    }
    await h.flushUsage();
    expect(h.app.services.usageWriter.queued).toBe(0);
    expect((await h.usageRows()).length).toBe(before + 3);
  });

  it('keeps at most its bound and counts what it had to drop', async () => {
    const writer = new UsageWriter(new UsageLogsRepo(h.app.db), h.app.server.log, { maxQueue: 2, intervalMs: 60_000 });
    try {
      await hide();
      try {
        const row = (request_id: string) => ({
          ...template,
          request_id,
        });
        for (const id of ['a', 'b', 'c', 'd', 'e']) writer.record(row(id));
        await writer.flush();
        expect(writer.queued).toBe(2);
        expect(writer.dropped).toBe(3);
      } finally {
        await restore();
      }
      await writer.flush();
      const kept = await h.app.db
        .selectFrom('usage_logs')
        .select('request_id')
        .where('request_id', 'in', ['a', 'b', 'c', 'd', 'e'])
        .execute();
      expect(kept.map((r) => r.request_id).sort()).toEqual(['d', 'e']);
    } finally {
      await writer.close();
    }
  });

  it('writes every queued record on shutdown', async () => {
    expect((await chat()).status).toBe(200);
    await h.close();
    const db = openTestDatabase(database());
    try {
      const rows = await db.selectFrom('usage_logs').select('id').execute();
      expect(rows.length).toBeGreaterThan(0);
      const [last] = await db
        .selectFrom('usage_logs')
        .select(['status', 'endpoint'])
        .orderBy('id', 'desc')
        .limit(1)
        .execute();
      expect(last).toEqual({ status: 1, endpoint: '/v1/chat/completions' });
    } finally {
      await db.destroy();
    }
    // afterAll closes the harness again: closing twice must be harmless, and it is exercised there.
  });
});

const template = {
  request_id: '',
  created_at: 1,
  user_id: 1,
  aggregated_token_id: 1,
  provider_id: 1,
  provider_name: 'A',
  provider_token_id: 1,
  route_id: 1,
  model_name: 'gpt-4o',
  endpoint: '/v1/chat/completions',
  is_stream: 0,
  status: 1,
  http_status: 200,
  error_type: '',
  error_message: '',
  attempt: 1,
  final: 1,
  latency_ms: 1,
  first_byte_ms: 1,
  prompt_tokens: 1,
  completion_tokens: 1,
  cache_tokens: 0,
  total_tokens: 2,
  cost_usd: 0,
  client_ip: '127.0.0.1',
  user_agent: 'test',
};
