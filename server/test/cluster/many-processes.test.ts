import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNewApi } from '../fake-newapi/index.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { unavailableReason } from '../helpers/matrix.js';
import type { GatewayProcess } from '../helpers/process.js';
import { Fleet, call, chat, isLeader, login, within } from './fleet.js';

interface AggToken {
  id: number;
  key: string;
}

/**
 * architecture.md §8: identical processes on one database and one Redis act as one gateway.
 * Three real processes per database; each test builds on the fleet the previous ones left.
 */
for (const dialect of ['postgres', 'mysql'] as const) {
  const reason = unavailableReason(dialect) ?? unavailableReason('redis');
  describe.skipIf(reason !== null)(
    `three gateway processes on ${dialect} and Redis${reason ? ` (skipped: ${reason})` : ''}`,
    () => {
      let database: TestDatabase;
      let fleet: Fleet;
      let a: GatewayProcess, b: GatewayProcess, c: GatewayProcess;
      let primary: FakeNewApi, fallback: FakeNewApi;
      let cookie: string;
      let agKey = '';

      beforeAll(async () => {
        database = await createTestDatabase(dialect);
        [primary, fallback] = await Promise.all([FakeNewApi.start(), FakeNewApi.start()]);
        fleet = new Fleet(database);
        // A starts alone, so it is the one that takes the jobs lease.
        [a] = (await fleet.start(1)) as [GatewayProcess];
        [b, c] = (await fleet.start(2)) as [GatewayProcess, GatewayProcess];
        cookie = await login(a);
      }, 60_000);

      afterAll(async () => {
        await fleet?.stop();
        await Promise.all([primary?.close(), fallback?.close()]);
        await database?.drop();
      });

      it('accepts a session made on A on B and C', async () => {
        for (const p of [b, c]) {
          const self = await call<{ username: string }>(p, 'GET', '/api/user/self', { cookie });
          expect(self.status).toBe(200);
          expect(self.data.username).toBe('root');
        }
      });

      it('serves on C a provider added on A and a token made on B, and refuses it on C within 1 s of its revocation on B', async () => {
        for (const [fake, priority] of [
          [primary, 10],
          [fallback, 0],
        ] as const) {
          const created = await call(a, 'POST', '/api/provider/', {
            cookie,
            body: {
              name: `p${fake.port}`,
              base_url: fake.url,
              access_token: fake.state.accessToken,
              user_id: fake.state.userId,
              priority,
            },
          });
          expect(created.status, created.text).toBe(200);
        }
        const token = await call<AggToken>(b, 'POST', '/api/agg-token/', { cookie, body: { name: 'fleet' } });
        expect(token.status).toBe(200);
        agKey = token.data.key;
        // The first sync runs on A; C learns of the new routes from A's announcement.
        await within(
          5000,
          async () =>
            (await call(c, 'POST', '/v1/chat/completions', { bearer: agKey, body: chat('gpt-4o-mini') })).status ===
            200,
          'C serves the new provider',
        );

        expect((await call(b, 'DELETE', `/api/agg-token/${token.data.id}`, { cookie })).status).toBe(200);
        const took = await within(
          1000,
          async () =>
            (await call(c, 'POST', '/v1/chat/completions', { bearer: agKey, body: chat('gpt-4o-mini') })).status ===
            401,
          'C refuses the revoked token',
        );
        expect(took).toBeLessThan(1000);
        const again = await call<AggToken>(b, 'POST', '/api/agg-token/', { cookie, body: { name: 'fleet-2' } });
        agKey = again.data.key;
        await within(
          1000,
          async () =>
            (await call(a, 'POST', '/v1/chat/completions', { bearer: agKey, body: chat('gpt-4o-mini') })).status ===
            200,
          'A serves the new token',
        );
      });

      it('writes each usage record once, whichever process served it', async () => {
        // A token of its own, so records of earlier tests still on their way cannot be counted.
        const token = await call<AggToken>(c, 'POST', '/api/agg-token/', { cookie, body: { name: 'usage' } });
        const key: string = token.data.key;
        let succeeded = 0;
        const relay = async (p: GatewayProcess) => {
          const response = await call(p, 'POST', '/v1/chat/completions', { bearer: key, body: chat('gpt-4o-mini') });
          if (response.status === 200) succeeded++;
          return response;
        };
        for (const p of [a, b]) await within(1000, async () => (await relay(p)).status === 200, 'it knows the token');
        const db = openTestDatabase(database);
        try {
          const count = async () =>
            Number(
              (
                await db
                  .selectFrom('usage_logs')
                  .select((eb) => eb.fn.countAll().as('n'))
                  .where('aggregated_token_id', '=', token.data.id)
                  .where('final', '=', 1)
                  .executeTakeFirstOrThrow()
              ).n,
            );
          const served = await Promise.all([a, b, c, a, b, c, a, b, c].map(relay));
          expect(served.map((r) => r.status)).toEqual(Array(9).fill(200));
          await within(4000, async () => (await count()) >= succeeded, 'every record written');
          await new Promise((resolve) => setTimeout(resolve, 1200)); // one more flush interval: nothing twice
          expect(await count()).toBe(succeeded);
        } finally {
          await db.destroy();
        }
      });

      it('counts the admin API rate limit across the processes', async () => {
        const remaining = [];
        for (const p of [a, b, c, a]) {
          const response = await call(p, 'GET', '/api/user/self', { cookie });
          remaining.push(Number(response.headers.get('x-ratelimit-remaining')));
        }
        const [first] = remaining as [number];
        expect(remaining).toEqual([first, first - 1, first - 2, first - 3]);
      });

      it('runs a manual sync on a process that does not lead the jobs', async () => {
        expect(await isLeader(c)).toBe(false);
        const providers = await call<{ items: Array<{ id: number; base_url: string }> }>(c, 'GET', '/api/provider/', {
          cookie,
        });
        const id = providers.data.items.find((p) => p.base_url === fallback.url)!.id;
        const before = fallback.requestsTo('GET', '/api/pricing').length;
        const synced = await call<{ ok: boolean }>(c, 'POST', `/api/provider/${id}/sync`, { cookie });
        expect(synced.data.ok).toBe(true);
        expect(fallback.requestsTo('GET', '/api/pricing').length).toBe(before + 1);
      });

      it('skips on B a provider that failed on A', async () => {
        primary.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 500 } });
        try {
          const callsBefore = primary.requestsTo('POST', '/v1/chat/completions').length;
          const onA = await call(a, 'POST', '/v1/chat/completions', { bearer: agKey, body: chat('gpt-4o-mini') });
          expect(onA.status).toBe(200); // failed over to the fallback
          expect(primary.requestsTo('POST', '/v1/chat/completions').length).toBe(callsBefore + 1);
          await within(
            1000,
            async () => /^gateway_routes_cooling [1-9]/m.test((await call(b, 'GET', '/metrics')).text),
            'B rests the route',
          );
          const fallbackBefore = fallback.requestsTo('POST', '/v1/chat/completions').length;
          const onB = await call(b, 'POST', '/v1/chat/completions', { bearer: agKey, body: chat('gpt-4o-mini') });
          expect(onB.status).toBe(200);
          expect(primary.requestsTo('POST', '/v1/chat/completions').length).toBe(callsBefore + 1);
          expect(fallback.requestsTo('POST', '/v1/chat/completions').length).toBe(fallbackBefore + 1);
        } finally {
          primary.clearFaults();
        }
      });

      /** Makes the next scheduled sync due at once, as if its interval had passed. */
      async function makeSyncDue(): Promise<void> {
        const db = openTestDatabase(database);
        try {
          const past = String(Math.floor(Date.now() / 1000) - 3600);
          await db.updateTable('cluster_marks').set({ value: past }).where('name', '=', 'job:sync').execute();
        } finally {
          await db.destroy();
        }
      }
      const pricingCalls = () => primary.requestsTo('GET', '/api/pricing').length;

      it('runs a due scheduled sync once across the three, on the one leader', async () => {
        expect(await Promise.all([a, b, c].map(isLeader))).toEqual([true, false, false]);
        const before = pricingCalls();
        await makeSyncDue();
        await within(5000, () => Promise.resolve(pricingCalls() > before), 'the scheduled sync ran');
        await new Promise((resolve) => setTimeout(resolve, 2500)); // two more ticks on every process
        expect(pricingCalls()).toBe(before + 1);
      });

      it('hands the jobs to another process when the leader dies', async () => {
        a.child.kill('SIGKILL');
        await a.exited;
        await within(5000, async () => (await isLeader(b)) || (await isLeader(c)), 'a new leader');
        expect((await isLeader(b)) && (await isLeader(c))).toBe(false);
        const before = pricingCalls();
        await makeSyncDue();
        await within(5000, () => Promise.resolve(pricingCalls() > before), 'the new leader ran the scheduled sync');
        await new Promise((resolve) => setTimeout(resolve, 2500));
        expect(pricingCalls()).toBe(before + 1);
      });
    },
  );
}
