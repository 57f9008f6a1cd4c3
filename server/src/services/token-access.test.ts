import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/databases.js';
import { describeEachDatabase } from '../../test/helpers/matrix.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { AggTokensRepo } from '../repos/agg-tokens.js';
import { TokenAccessClock } from './token-access.js';

const use = (aggregated_token_id: number, created_at: number) => ({ aggregated_token_id, created_at }) as UsageRecord;

describeEachDatabase('when tokens were last used', (database) => {
  let db: Kysely<Database>;
  let repo: AggTokensRepo;
  let ids: number[];

  beforeAll(async () => {
    db = openTestDatabase(database());
    await migrateToLatest(db);
    repo = new AggTokensRepo(db);
    ids = [];
    for (const key of ['k1', 'k2', 'k3']) {
      ids.push(await repo.insert({ user_id: 1, key, model_limits: '', allow_ips: '' }));
    }
  });

  afterAll(() => db.destroy());

  const accessed = async () =>
    (await db.selectFrom('aggregated_tokens').select('accessed_at').orderBy('id').execute()).map((r) => r.accessed_at);

  it('never moves a time backwards', async () => {
    await repo.markAccessed([ids[0]!, ids[1]!], 2_000);
    await repo.markAccessed([ids[1]!, ids[2]!], 1_000);
    expect(await accessed()).toEqual([2_000, 2_000, 1_000]);
  });

  it('writes a token at most once a minute, with the latest time of its batch', async () => {
    const queries: string[] = [];
    const counting = {
      markAccessed: (tokens: readonly number[], at: number) => {
        queries.push(`${tokens.join(',')}@${at}`);
        return repo.markAccessed(tokens, at);
      },
    };
    const clock = new TokenAccessClock(counting, pino({ level: 'silent' }));
    const [a, b] = [ids[0]!, ids[1]!];
    await clock.recordBatch([use(a, 10_000), use(b, 10_005), use(0, 10_007)]);
    await clock.recordBatch([use(a, 10_030)]); // within the minute: not written
    await clock.recordBatch([use(a, 10_070), use(b, 10_050)]); // a is due again, b not yet
    expect(queries).toEqual([`${a},${b}@10007`, `${a}@10070`]);
    expect((await accessed()).slice(0, 2)).toEqual([10_070, 10_007]);
  });

  it('logs a failed write and lets the batch go', async () => {
    const failing = { markAccessed: () => Promise.reject(new Error('database gone')) };
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    await expect(new TokenAccessClock(failing, logger).recordBatch([use(ids[2]!, 20_000)])).resolves.toBeUndefined();
    expect(lines.join('')).toContain('last used failed');
  });
});
