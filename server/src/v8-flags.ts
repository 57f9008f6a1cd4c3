import v8 from 'node:v8';

/**
 * V8 flags of the gateway's own, set as it starts: main.ts imports this module first, so they hold in every process
 * that serves (the single process and each cluster worker both run main.js), however node was started.
 *
 * No allocation-site pretenuring: with 2,000 slow streams open, objects made for every chunk often outlive a
 * scavenge, and V8 may then have their allocation sites allocate in old space directly. Those die a moment later
 * but stay, and keep what they point to, until the next mark-compact, which the heap's growth puts off: in one
 * open-streams bench run in three, old space grew ≈ 13 MB/s and RSS peaked at 320–365 MiB instead of ≈ 210.
 * The JSON path did not measurably slow down without it.
 */
export const V8_FLAGS = ['--no-allocation-site-pretenuring'];

for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
