import { FakeNewApi, type FakeNewApiOptions } from '../fake-newapi/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/databases.js';

export interface ProviderSpec {
  name: string;
  fake?: FakeNewApiOptions;
  priority?: number;
  weight?: number;
}

export interface RelayHarness {
  app: TestApp;
  /** http://127.0.0.1:PORT of the gateway, listening for real. */
  base: string;
  cookie: string;
  /** A fresh `ag-` key of root's with no limits. */
  key: string;
  fakes: Record<string, FakeNewApi>;
  providerIds: Record<string, number>;
  createToken(fields?: Record<string, unknown>): Promise<{ id: number; key: string }>;
  updateToken(id: number, fields: Record<string, unknown>): Promise<void>;
  /** Waits until the usage writer has written everything so far. */
  flushUsage(): Promise<void>;
  usageRows(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** A gateway on a real port, in front of fake NewAPI providers that are already synced. */
export async function startRelayHarness(
  database: TestDatabase,
  providers: ProviderSpec[],
  env: Record<string, string> = {},
): Promise<RelayHarness> {
  const app = await startTestApp(database, env);
  const cookie = await app.login('root', '123456');
  const fakes: Record<string, FakeNewApi> = {};
  const providerIds: Record<string, number> = {};
  for (const spec of providers) {
    const fake = await FakeNewApi.start(spec.fake);
    fakes[spec.name] = fake;
    const created = await app.request({
      method: 'POST',
      url: '/api/provider/',
      headers: { cookie },
      payload: {
        name: spec.name,
        base_url: fake.url,
        access_token: fake.state.accessToken,
        user_id: fake.state.userId,
        priority: spec.priority ?? 0,
        weight: spec.weight ?? 10,
      },
    });
    const id = created.json<{ data: { id: number } }>().data.id;
    providerIds[spec.name] = id;
    const report = await app.services.sync.sync(id);
    if (!report.ok) throw new Error(`sync of ${spec.name} failed: ${JSON.stringify(report)}`);
  }
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as { port: number };

  const createToken = async (fields: Record<string, unknown> = {}) => {
    const response = await app.request({
      method: 'POST',
      url: '/api/agg-token/',
      headers: { cookie },
      payload: { name: 'test', ...fields },
    });
    if (response.statusCode !== 200) throw new Error(`token creation failed: ${response.body}`);
    const data = response.json<{ data: { id: number; key: string } }>().data;
    return { id: data.id, key: data.key };
  };
  const { key } = await createToken();
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    cookie,
    key,
    fakes,
    providerIds,
    createToken,
    async updateToken(id, fields) {
      const response = await app.request({
        method: 'PUT',
        url: '/api/agg-token/',
        headers: { cookie },
        payload: { id, ...fields },
      });
      if (response.statusCode !== 200) throw new Error(`token update failed: ${response.body}`);
    },
    flushUsage: () => app.services.usageWriter.flush(),
    async usageRows() {
      await app.services.usageWriter.flush();
      return app.db.selectFrom('usage_logs').selectAll().orderBy('id').execute();
    },
    async close() {
      await app.close();
      await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    },
  };
}

/**
 * Every request the fakes received on relay paths, across providers, in arrival order (ties in the
 * same millisecond keep the order the providers were set up in).
 */
export function relayCalls(harness: RelayHarness): Array<{ provider: string; path: string; at: number }> {
  return Object.entries(harness.fakes)
    .flatMap(([provider, fake], order) =>
      fake.requests.filter((r) => r.path.startsWith('/v1')).map((r) => ({ provider, path: r.path, at: r.at, order })),
    )
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .map(({ provider, path, at }) => ({ provider, path, at }));
}
