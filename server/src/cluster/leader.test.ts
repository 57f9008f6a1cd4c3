import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { LeaderElection } from './leader.js';
import type { LeaseStore } from './leases.js';

/** A lease store with the semantics of the real ones, on the fake clock. */
class MemoryLeases implements LeaseStore {
  readonly kind = 'database';
  private holder = '';
  private expiresAt = 0;
  unreachable = false;
  acquire(_name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (this.unreachable) return Promise.reject(new Error('unreachable'));
    const now = Date.now();
    if (this.holder !== holder && this.expiresAt > now) return Promise.resolve(false);
    this.holder = holder;
    this.expiresAt = now + ttlMs;
    return Promise.resolve(true);
  }
  release(_name: string, holder: string): Promise<void> {
    if (this.holder === holder) this.expiresAt = 0;
    return Promise.resolve();
  }
}

const logger = { info: vi.fn(), warn: vi.fn() } as unknown as FastifyBaseLogger;
const TTL = 3000;

describe('LeaderElection', () => {
  let store: MemoryLeases;
  let elections: LeaderElection[];
  let events: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    store = new MemoryLeases();
    elections = [];
    events = [];
  });
  afterEach(async () => {
    for (const election of elections) await election.stop();
    vi.useRealTimers();
  });

  function member(name: string): LeaderElection {
    const election = new LeaderElection({
      store,
      name: 'jobs',
      holder: name,
      ttlMs: TTL,
      onElected: (atStart) => events.push(`${name} elected${atStart ? ' at start' : ''}`),
      onDeposed: () => {
        events.push(`${name} deposed`);
        return Promise.resolve();
      },
      logger,
    });
    elections.push(election);
    return election;
  }

  it('elects exactly one of several processes, and keeps it while it renews', async () => {
    const [a, b, c] = [member('a'), member('b'), member('c')];
    await Promise.all([a.start(), b.start(), c.start()]);
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false]);
    await vi.advanceTimersByTimeAsync(10 * TTL);
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false]);
    expect(events).toEqual(['a elected at start']);
  });

  it('hands over at once on a graceful stop, and within one TTL when the leader just vanishes', async () => {
    const [a, b] = [member('a'), member('b')];
    await a.start();
    await b.start();
    await a.stop();
    await vi.advanceTimersByTimeAsync(TTL / 3);
    expect(b.isLeader).toBe(true);
    expect(events).toEqual(['a elected at start', 'a deposed', 'b elected']);

    const c = member('c');
    await c.start();
    // b hangs: its store calls never answer, as when its host freezes or its network drops.
    vi.spyOn(store, 'acquire').mockImplementation(function (this: MemoryLeases, name, holder, ttl) {
      return holder === 'b'
        ? new Promise<boolean>(() => undefined)
        : MemoryLeases.prototype.acquire.call(store, name, holder, ttl);
    });
    await vi.advanceTimersByTimeAsync(TTL + TTL / 3);
    expect(c.isLeader).toBe(true);
    expect(b.isLeader).toBe(false); // it stepped down on its own, before c could take over
    expect(events.slice(-2)).toEqual(['b deposed', 'c elected']);
  });

  it('steps down when it cannot renew, before its lease can have run out', async () => {
    const a = member('a');
    await a.start();
    store.unreachable = true;
    await vi.advanceTimersByTimeAsync(TTL / 3);
    expect(a.isLeader).toBe(true); // one missed renewal is within the margin
    await vi.advanceTimersByTimeAsync(TTL / 3);
    expect(a.isLeader).toBe(false); // a third of the TTL before a peer could take the lease
    expect(events).toEqual(['a elected at start', 'a deposed']);
    store.unreachable = false;
    await vi.advanceTimersByTimeAsync(TTL / 3);
    expect(a.isLeader).toBe(true);
    expect(events.at(-1)).toBe('a elected'); // a takeover, not a start: no start-up sync
  });
});
