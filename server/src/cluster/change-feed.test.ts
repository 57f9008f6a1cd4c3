import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import type { ChangeTopic, ClusterBus, ClusterMessage } from './bus.js';
import { ChangeFeed, type ChangeMarks } from './change-feed.js';

/** Buses joined like Redis pub/sub: everything published reaches every bus, the sender's too. */
class Hub {
  private readonly handlers: Array<(message: ClusterMessage) => void> = [];
  connected = true;
  bus(): ClusterBus {
    return {
      publish: (message) => {
        if (this.connected) for (const handler of this.handlers) handler(message);
      },
      subscribe: (handler) => void this.handlers.push(handler),
      close: () => Promise.resolve(),
    };
  }
}

class Marks implements ChangeMarks {
  readonly values = new Map<string, string>();
  failing = false;
  setMark(name: string, value: string): Promise<void> {
    this.values.set(name, value);
    return Promise.resolve();
  }
  marksStartingWith(prefix: string): Promise<Map<string, string>> {
    if (this.failing) return Promise.reject(new Error('database down'));
    return Promise.resolve(new Map([...this.values].filter(([name]) => name.startsWith(prefix))));
  }
}

const logger = { warn: vi.fn(), debug: vi.fn(), info: vi.fn() } as unknown as FastifyBaseLogger;

function processOn(hub: Hub, marks: Marks, origin: string) {
  const rebuilt: ChangeTopic[] = [];
  let failNext = false;
  const rebuild = (topic: ChangeTopic) => () => {
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('rebuild failed'));
    }
    rebuilt.push(topic);
    return Promise.resolve();
  };
  const feed = new ChangeFeed({
    marks,
    bus: hub.bus(),
    origin,
    checkIntervalMs: 60_000,
    logger,
    rebuild: { routes: rebuild('routes'), tokens: rebuild('tokens'), options: rebuild('options') },
  });
  return { feed, rebuilt, failNextRebuild: () => (failNext = true) };
}

describe('ChangeFeed', () => {
  const feeds: ChangeFeed[] = [];
  afterEach(() => {
    for (const feed of feeds.splice(0)) feed.stop();
  });

  async function fleet(count: number, hub = new Hub(), marks = new Marks()) {
    const members = Array.from({ length: count }, (_, i) => processOn(hub, marks, `p${i}`));
    for (const member of members) {
      feeds.push(member.feed);
      await member.feed.start();
    }
    return { hub, marks, members };
  }

  it('rebuilds the announcing process at once and every peer on the announcement, once each', async () => {
    const { members } = await fleet(3);
    const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    await a.feed.announce('tokens');
    await Promise.resolve();
    expect(a.rebuilt).toEqual(['tokens']);
    expect(b.rebuilt).toEqual(['tokens']);
    expect(c.rebuilt).toEqual(['tokens']);
    // The mark in the database is the one they heard about: the periodic check finds nothing new.
    await Promise.all(members.map((m) => m.feed.check()));
    expect(members.map((m) => m.rebuilt.length)).toEqual([1, 1, 1]);
  });

  it('catches up at the next check on a change whose announcement was lost', async () => {
    const { hub, members } = await fleet(2);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    hub.connected = false;
    await a.feed.announce('routes');
    expect(b.rebuilt).toEqual([]);
    await b.feed.check();
    expect(b.rebuilt).toEqual(['routes']);
    await b.feed.check();
    expect(b.rebuilt).toEqual(['routes']);
  });

  it('tells peers without rebuilding itself when the change is already applied here', async () => {
    const { members } = await fleet(2);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    await a.feed.tellPeers('options');
    expect(a.rebuilt).toEqual([]);
    expect(b.rebuilt).toEqual(['options']);
  });

  it('retries a rebuild that failed, at the next check', async () => {
    const { members } = await fleet(2);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    b.failNextRebuild();
    await a.feed.announce('routes');
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.rebuilt).toEqual([]);
    await b.feed.check();
    expect(b.rebuilt).toEqual(['routes']);
  });

  it('learns the current marks at start, and survives a database that does not answer a check', async () => {
    const marks = new Marks();
    marks.values.set('change:tokens', 'before-start');
    const { members } = await fleet(1, new Hub(), marks);
    const [a] = members as [(typeof members)[0]];
    await a.feed.check();
    expect(a.rebuilt).toEqual([]); // its snapshot was built after that change
    marks.failing = true;
    marks.values.set('change:tokens', 'later');
    await expect(a.feed.check()).resolves.toBeUndefined();
    marks.failing = false;
    await a.feed.check();
    expect(a.rebuilt).toEqual(['tokens']);
  });
});
