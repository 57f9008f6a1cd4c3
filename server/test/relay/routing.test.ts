import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { relayCalls, startRelayHarness, type RelayHarness } from './harness.js';

/** SEED "路由算法": the highest priority tier takes the traffic, split by weight + 10. */
describeEachDatabase('routing spread', (database) => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [
      { name: 'heavy', priority: 5, weight: 30 },
      { name: 'light', priority: 5, weight: 0 },
      { name: 'reserve', priority: 0, weight: 100 },
    ]);
  });
  afterAll(() => h.close());

  it('sends nothing to a lower tier while the top tier serves, and splits the top tier 80/20', async () => {
    const requests = 400;
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`${h.base}/v1/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const counts = relayCalls(h).reduce<Record<string, number>>((acc, call) => {
      acc[call.provider] = (acc[call.provider] ?? 0) + 1;
      return acc;
    }, {});
    expect(counts.reserve ?? 0).toBe(0);
    // Expected 0.8 and 0.2; 400 draws give a standard deviation of 0.02, so 0.07 is a wide margin.
    expect(Math.abs(counts.heavy! / requests - 0.8)).toBeLessThan(0.07);
    expect(Math.abs(counts.light! / requests - 0.2)).toBeLessThan(0.07);
  });

  it('lets the lower tier serve once the top tier is disabled', async () => {
    await h.app.request({
      method: 'PUT',
      url: '/api/provider/',
      headers: { cookie: h.cookie },
      payload: { id: h.providerIds.heavy, status: 2 },
    });
    await h.app.request({
      method: 'PUT',
      url: '/api/provider/',
      headers: { cookie: h.cookie },
      payload: { id: h.providerIds.light, status: 2 },
    });
    const before = relayCalls(h).length;
    const response = await fetch(`${h.base}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
    });
    expect(response.status).toBe(200);
    expect(
      relayCalls(h)
        .slice(before)
        .map((c) => c.provider),
    ).toEqual(['reserve']);
  });
});
