import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/matrix.js';
import { relayCalls, startRelayHarness, type RelayHarness } from './harness.js';

/** A provider whose last sync showed no funds is skipped until a sync shows it topped up. */
describeEachDatabase('providers without funds', (database) => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(database(), [
      { name: 'broke', priority: 10, fake: { quota: 0 } },
      { name: 'funded', priority: 0 },
    ]);
  });
  afterAll(() => h.close());

  const providersFor = (model: string) =>
    h.app.services.routeTable.current.byModel
      .get(model)!
      .flat()
      .map((route) => route.providerName)
      .sort();
  const setOption = (key: string, value: unknown) =>
    h.app.request({ method: 'PUT', url: '/api/option/', headers: { cookie: h.cookie }, payload: { key, value } });

  it('routes around it by default, and back once a sync shows funds', async () => {
    expect(providersFor('gpt-4o')).toEqual(['funded']);
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
    ).toEqual(['funded']);

    h.fakes.broke!.update({ quota: 2_000_000 });
    await h.app.services.sync.sync(h.providerIds.broke!);
    expect(providersFor('gpt-4o')).toEqual(['broke', 'funded']);
  });

  it('can be turned off', async () => {
    h.fakes.broke!.update({ quota: 0 });
    await h.app.services.sync.sync(h.providerIds.broke!);
    expect(providersFor('gpt-4o')).toEqual(['funded']);
    expect((await setOption('SkipDepletedProviders', false)).statusCode).toBe(200);
    expect(providersFor('gpt-4o')).toEqual(['broke', 'funded']);
  });
});
