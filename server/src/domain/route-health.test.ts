import { beforeEach, describe, expect, it } from 'vitest';
import { RouteHealth, type HealthChange, type HealthOptions } from './route-health.js';

const options: HealthOptions = { baseMs: 1000, multiplier: 2, capMs: 5000, modelMissingMs: 60_000 };
const a = { id: 1, providerTokenId: 10 };
const b = { id: 2, providerTokenId: 10 }; // same key as a
const c = { id: 3, providerTokenId: 30 };

describe('RouteHealth', () => {
  let health: RouteHealth;
  beforeEach(() => {
    health = new RouteHealth(() => options);
  });

  it('rests a failing route for a time that doubles with each failure, up to the cap', () => {
    health.onFailure(a, 0, 'upstream', 'HTTP 500');
    expect(health.availability(a, 999)).toBe('cooling');
    expect(health.availability(a, 1000)).toBe('probe');
    health.onFailure(a, 1000, 'upstream', 'HTTP 500');
    expect(health.stateOf(a)).toMatchObject({ failures: 2, coolingUntil: 3000, lastError: 'HTTP 500' });
    for (let i = 0; i < 5; i++) health.onFailure(a, 10_000, 'upstream', 'x');
    expect(health.stateOf(a)!.coolingUntil).toBe(15_000); // capped at 5 s
    expect(health.availability(c, 0)).toBe('ok');
  });

  it('honours a longer Retry-After', () => {
    health.onFailure(a, 0, 'upstream', '429', 30_000);
    expect(health.availability(a, 29_999)).toBe('cooling');
    expect(health.availability(a, 30_000)).toBe('probe');
  });

  it('lets one probe through after the rest, and restores or lengthens on its outcome', () => {
    health.onFailure(a, 0, 'upstream', 'x');
    expect(health.availability(a, 1500)).toBe('probe');
    health.beginProbe(a);
    expect(health.availability(a, 1500)).toBe('cooling'); // a second request waits for the probe
    health.onFailure(a, 1600, 'upstream', 'still down');
    expect(health.stateOf(a)).toMatchObject({ failures: 2, coolingUntil: 3600, probing: false });
    expect(health.availability(a, 3600)).toBe('probe');
    health.beginProbe(a);
    health.onSuccess(a);
    expect(health.availability(a, 3600)).toBe('ok');
    expect(health.stateOf(a)).toBeUndefined();
  });

  it('releases a probe without judging it when the client caused the outcome', () => {
    health.onFailure(a, 0, 'upstream', 'x');
    health.beginProbe(a);
    health.onNeutral(a);
    expect(health.availability(a, 1000)).toBe('probe');
    expect(health.stateOf(a)!.failures).toBe(1);
  });

  it('rests every route of a rejected key, and a missing model for long', () => {
    health.onFailure(a, 0, 'key_rejected', 'HTTP 401');
    expect(health.availability(b, 500)).toBe('cooling');
    expect(health.availability(c, 500)).toBe('ok');
    health.onFailure(c, 0, 'model_missing', 'model_not_found');
    expect(health.availability(c, 59_999)).toBe('cooling');
  });

  it('picks the least recently failed route when all rest, and can be cleared', () => {
    health.onFailure(a, 500, 'upstream', 'x');
    health.onFailure(c, 100, 'upstream', 'x');
    expect(health.leastRecentlyFailed([a, c])).toBe(c);
    health.clear(c);
    expect(health.availability(c, 101)).toBe('ok');
    expect(health.coolingCount(600)).toBe(1);
    health.clear();
    expect(health.coolingCount(600)).toBe(0);
  });
});

describe('RouteHealth shared between processes', () => {
  /** Two processes' health joined the way the cluster bus joins them. */
  function pair() {
    const here = new RouteHealth(() => options);
    const there = new RouteHealth(() => options);
    const sent: HealthChange[] = [];
    here.onChange((change) => {
      sent.push(change);
      there.apply(change);
    });
    return { here, there, sent };
  }

  it('mirrors a failure, its growing rest and the recovery on the peer', () => {
    const { here, there, sent } = pair();
    here.onFailure(a, 0, 'upstream', 'HTTP 500');
    here.onFailure(a, 1000, 'upstream', 'HTTP 502');
    expect(there.availability(a, 2999)).toBe('cooling');
    expect(there.stateOf(a)).toMatchObject({ failures: 2, coolingUntil: 3000, lastError: 'HTTP 502' });
    here.onSuccess(a);
    expect(there.availability(a, 0)).toBe('ok');
    expect(sent.at(-1)).toEqual({ scope: 'route', id: a.id, state: null });
  });

  it('rests every route of a rejected key on the peer, and mirrors an admin reset', () => {
    const { here, there } = pair();
    here.onFailure(a, 0, 'key_rejected', '401');
    expect(there.availability(b, 500)).toBe('cooling');
    here.onFailure(c, 0, 'upstream', '500');
    here.clear();
    expect(there.availability(b, 500)).toBe('ok');
    expect(there.availability(c, 500)).toBe('ok');
  });

  it('announces nothing when a healthy route succeeds, nor for local probe bookkeeping', () => {
    const { here, sent } = pair();
    here.onSuccess(a);
    here.onFailure(a, 0, 'upstream', '500');
    here.beginProbe(a);
    here.onNeutral(a);
    expect(sent).toHaveLength(1);
  });

  it('keeps its own probe when a peer reports the same route failing again', () => {
    const { there } = pair();
    there.onFailure(a, 0, 'upstream', '500');
    there.beginProbe(a);
    there.apply({
      scope: 'route',
      id: a.id,
      state: { failures: 2, coolingUntil: 3000, lastFailureAt: 1000, lastError: 'x' },
    });
    expect(there.availability(a, 3000)).toBe('cooling'); // the probe is still out: nobody else may try
  });
});
