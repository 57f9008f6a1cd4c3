import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestApp } from '../helpers/app.js';
import { startRelayHarness, type RelayHarness } from '../relay/harness.js';

/** Prometheus text exposition: comments, or `name{labels} value` (float syntax as Go parses it: NaN in any case). */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$/.exec(
        line,
      );
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

const sum = (samples: Map<string, number>, prefix: string) =>
  [...samples].filter(([key]) => key.startsWith(prefix)).reduce((total, [, value]) => total + value, 0);

describe('health probes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('answers /healthz, and /readyz only while the database answers', async () => {
    const app = await startTestApp(database);
    expect((await app.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await app.db.destroy();
    const notReady = await app.request({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ status: 'not ready' });
    await app.server.close();
  });

  it('keeps /metrics off by default', async () => {
    const app = await startTestApp(database);
    try {
      const response = await app.request({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/json');
    } finally {
      await app.close();
    }
  });
});

describe('/metrics', () => {
  let database: TestDatabase;
  let h: RelayHarness;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    h = await startRelayHarness(
      database,
      [
        { name: 'primary', priority: 5 },
        { name: 'fallback', priority: 0 },
      ],
      { METRICS_TOKEN: 'scrape-secret' },
    );
  });
  afterAll(async () => {
    await h.close();
    await database.drop();
  });

  const scrape = async () => {
    const response = await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheus(await response.text());
  };
  const chat = () =>
    fetch(`${h.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    }).then((r) => r.text());

  it('needs the bearer token', async () => {
    expect((await fetch(`${h.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('parses as Prometheus text, and its counters move with traffic', async () => {
    const before = await scrape();
    await chat();
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 500 }, times: 1 });
    await chat();
    await chat();
    const after = await scrape();
    // The first goes to primary; the second fails over; the third avoids primary, which now rests.
    const requests = '{endpoint="/v1/chat/completions",model="gpt-4o",provider="primary",status="200"}';
    expect(
      (after.get(`gateway_relay_requests_total${requests}`) ?? 0) -
        (before.get(`gateway_relay_requests_total${requests}`) ?? 0),
    ).toBe(1);
    const served = '{endpoint="/v1/chat/completions",model="gpt-4o",provider="fallback",status="200"}';
    expect(after.get(`gateway_relay_requests_total${served}`)).toBe(2);
    expect(after.get('gateway_routes_cooling')).toBe(1);
    expect((after.get('gateway_relay_failovers_total') ?? 0) - (before.get('gateway_relay_failovers_total') ?? 0)).toBe(
      1,
    );
    expect(after.get('gateway_relay_attempts_total{provider="primary",outcome="upstream_status"}')).toBe(1);
    expect(sum(after, 'gateway_relay_latency_seconds_count') - sum(before, 'gateway_relay_latency_seconds_count')).toBe(
      3,
    );
    expect(after.get('gateway_relay_in_flight_requests')).toBe(0);
    expect(after.get('gateway_relay_in_flight_streams')).toBe(0);
    expect(after.get('gateway_sync_runs_total{provider="primary",result="ok"}')).toBe(1);
    expect(after.get('gateway_provider_balance_usd{provider="primary"}')).toBe(10);
    expect(after.has('gateway_usage_queue_depth')).toBe(true);
    expect(after.get('gateway_usage_dropped_records')).toBe(0);
  });

  it('does not let invented model names add series', async () => {
    for (const model of ['made-up-1', 'made-up-2']) {
      await fetch(`${h.base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [] }),
      }).then((r) => r.text());
    }
    const samples = await scrape();
    expect([...samples.keys()].some((key) => key.includes('made-up'))).toBe(false);
    expect(
      samples.get(
        'gateway_relay_requests_total{endpoint="/v1/chat/completions",model="other",provider="none",status="503"}',
      ),
    ).toBe(2);
  });
});
