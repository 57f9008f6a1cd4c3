import { afterAll, beforeAll, expect, it } from 'vitest';
import { RetentionService } from '../../src/services/retention.js';
import { UsageLogsRepo } from '../../src/repos/usage-logs.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/matrix.js';

describeEachDatabase('usage log retention', (database) => {
  let app: TestApp;
  const NOW = 1_800_000_000;
  const DAY = 86_400;

  beforeAll(async () => {
    app = await startTestApp(database());
    const row = (request_id: string, created_at: number) => ({ request_id, created_at, error_message: '' });
    await app.db
      .insertInto('usage_logs')
      .values([
        ...Array.from({ length: 25 }, (_, i) => row(`old-${i}`, NOW - 31 * DAY - i)),
        row('edge-kept', NOW - 30 * DAY),
        row('recent', NOW - DAY),
        row('now', NOW),
      ])
      .execute();
  });
  afterAll(() => app.close());

  const remaining = async () =>
    (await app.db.selectFrom('usage_logs').select('request_id').orderBy('request_id').execute()).map(
      (r) => r.request_id,
    );

  it('keeps everything when LogRetentionDays is 0', async () => {
    const service = new RetentionService(
      new UsageLogsRepo(app.db),
      () => 0,
      () => NOW,
    );
    expect(await service.run()).toBe(0);
    expect(await remaining()).toHaveLength(28);
  });

  it('deletes only rows older than the retention, in small batches', async () => {
    const service = new RetentionService(
      new UsageLogsRepo(app.db),
      () => 30,
      () => NOW,
      { batchSize: 10, pauseMs: 0 },
    );
    expect(await service.run()).toBe(25);
    expect(await remaining()).toEqual(['edge-kept', 'now', 'recent']);
    expect(await service.run()).toBe(0);
  });
});
