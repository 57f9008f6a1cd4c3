import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { relayCalls, startRelayHarness, type RelayHarness } from './harness.js';

interface RouteView {
  id: number;
  model_name: string;
  provider_name: string;
  health: { cooling_until: number; failures: number; last_error: string };
}

/** Health-aware routing through the real relay: a failing provider rests, is probed, and comes back. */
describeEachDatabase('route health', (database) => {
  let h: RelayHarness;
  let seen = 0;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [
      { name: 'primary', priority: 5 },
      { name: 'fallback', priority: 0 },
    ]);
    // One-second rests keep the waits in this file short.
    for (const [key, value] of [
      ['CooldownBaseSeconds', 1],
      ['CooldownMultiplier', 2],
      ['RetryTimes', 1],
    ] as const) {
      await h.app.request({
        method: 'PUT',
        url: '/api/option/',
        headers: { cookie: h.cookie },
        payload: { key, value },
      });
    }
  });
  afterEach(() => {
    for (const fake of Object.values(h.fakes)) fake.clearFaults();
    h.app.services.health.clear();
    seen = relayCalls(h).length;
  });
  afterAll(() => h.close());

  const call = (model = 'gpt-4o') =>
    fetch(`${h.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [] }),
    }).then(async (response) => ({ status: response.status, body: await response.text() }));
  const calls = () => {
    const all = relayCalls(h);
    const fresh = all.slice(seen).map((c) => c.provider);
    seen = all.length;
    return fresh;
  };
  const routeOf = async (provider: string, model = 'gpt-4o') => {
    const response = await h.app.request({
      method: 'GET',
      url: `/api/route/?model=${model}`,
      headers: { cookie: h.cookie },
    });
    return response.json<{ data: { items: RouteView[] } }>().data.items.find((r) => r.provider_name === provider)!;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('rests a failing provider, shows why, probes it after the rest and takes it back on success', async () => {
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'status', status: 500, body: 'boom' },
      times: 1,
    });
    expect((await call()).status).toBe(200);
    expect(calls()).toEqual(['primary', 'fallback']);
    const resting = await routeOf('primary');
    expect(resting.health.failures).toBe(1);
    expect(resting.health.cooling_until).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(resting.health.last_error).toMatch(/boom|500/);

    expect((await call()).status).toBe(200);
    expect(calls()).toEqual(['fallback']); // primary is resting: not even tried

    await sleep(1100);
    expect((await call()).status).toBe(200);
    expect(calls()).toEqual(['primary']); // the probe
    expect((await routeOf('primary')).health).toMatchObject({ failures: 0, cooling_until: 0 });
    expect((await call()).status).toBe(200);
    expect(calls()).toEqual(['primary']);
  });

  it('rests longer after a failed probe', async () => {
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 502 }, times: 2 });
    await call();
    await sleep(1100);
    await call(); // the probe fails
    expect(calls()).toEqual(['primary', 'fallback', 'primary', 'fallback']);
    const route = await routeOf('primary');
    expect(route.health.failures).toBe(2);
    // The second rest is twice the first: about two seconds from the probe.
    expect(route.health.cooling_until - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(1);
  });

  it('honours Retry-After, and a client error rests nothing', async () => {
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'status', status: 429, headers: { 'retry-after': '30' } },
      times: 1,
    });
    await call();
    expect((await routeOf('primary')).health.cooling_until).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 28);
    h.app.services.health.clear();
    h.fakes.primary!.addFault({
      path: '/v1/chat/completions',
      fault: { kind: 'status', status: 400, body: '{}' },
      times: 1,
    });
    expect((await call()).status).toBe(400);
    expect((await routeOf('primary')).health.failures).toBe(0);
  });

  it('rests every model of a rejected key', async () => {
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 401 }, times: 1 });
    await call();
    calls();
    const embedding = await fetch(`${h.base}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
    });
    expect(embedding.status).toBe(200);
    expect(calls()).toEqual(['fallback']);
  });

  it('tries the least recently failed route when every route rests, instead of refusing', async () => {
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 503 }, times: 1 });
    h.fakes.fallback!.addFault({ path: '/v1/chat/completions', fault: { kind: 'status', status: 503 }, times: 1 });
    expect((await call()).status).toBe(503);
    expect(calls()).toEqual(['primary', 'fallback']);
    const next = await call();
    expect(next.status).toBe(200);
    expect(calls()[0]).toBe('primary'); // it failed first, so it has rested longest
  });

  it('lets an admin end a rest at once', async () => {
    h.fakes.primary!.addFault({ path: '/v1/chat/completions', fault: { kind: 'reset' }, times: 1 });
    await call();
    const route = await routeOf('primary');
    expect(route.health.failures).toBe(1);
    const reset = await h.app.request({
      method: 'POST',
      url: `/api/route/${route.id}/health/reset`,
      headers: { cookie: h.cookie },
    });
    expect(reset.statusCode).toBe(200);
    calls();
    await call();
    expect(calls()).toEqual(['primary']);
  });
});
