import { expect, it } from 'vitest';
import { SnapshotHolder } from './snapshot-holder.js';

it('folds rebuilds requested during a running one into a single follow-up that sees the last state', async () => {
  let state = 0;
  let loads = 0;
  let release: () => void = () => undefined;
  const holder = new SnapshotHolder(-1, async () => {
    loads++;
    const seen = state;
    await new Promise<void>((resolve) => (release = resolve));
    return seen;
  });
  const first = holder.rebuild();
  state = 1;
  const second = holder.rebuild();
  state = 2;
  const third = holder.rebuild();
  expect(second).toBe(third);
  release();
  await first;
  expect(holder.current).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 0));
  release();
  await third;
  expect(holder.current).toBe(2);
  expect(loads).toBe(2);
});

it('keeps the last good snapshot when a load fails, and recovers on the next', async () => {
  let fail = true;
  const holder = new SnapshotHolder('initial', () =>
    fail ? Promise.reject(new Error('db down')) : Promise.resolve('fresh'),
  );
  await expect(holder.rebuild()).rejects.toThrow('db down');
  expect(holder.current).toBe('initial');
  fail = false;
  await holder.rebuild();
  expect(holder.current).toBe('fresh');
});
