// Shared bits: the fake upstream's credentials, child processes (own process group, killed on exit), probes.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const ACCESS_TOKEN = 'fake-access-token';
export const USER_ID = 1;
export const SK_KEY = 'benchFakeKey0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, 48);
export const MODEL = 'gpt-4o-mini';
export const CHUNKS = 50;

const children = new Set();

/** Spawns a command in its own process group; resolves once `ready` (a probe) answers true. */
export async function start(name, cmd, args, { env = {}, cwd, ready, timeoutMs = 30_000, pollMs = 100 } = {}) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let log = '';
  const keep = (d) => (log = (log + d).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.on('exit', () => ((exited = true), children.delete(child)));
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (exited || Date.now() > deadline) {
      stop(child);
      throw new Error(`${name} did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return { child, log: () => log };
}

export function stop(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  children.delete(child);
}

/** SIGTERM to the process itself (a graceful shutdown: the gateway writes its queued usage rows), then its exit. */
export async function terminate(child, timeoutMs = 30_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, timeoutMs, 'timeout'));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    stop(child);
    throw new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms of SIGTERM`);
  }
}

/**
 * A process's memory as the kernel counts it, in MiB: `rss` now (VmRSS) and `peak`, the highest RSS since it started
 * (VmHWM), which catches a peak between two samples. NaN where there is no /proc (not Linux).
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** Resets the peak (VmHWM) to the current RSS, so the next `memoryOf().peak` is the peak from now on. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export function stopAll() {
  for (const child of [...children]) stop(child);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (stopAll(), process.exit(130)));
process.on('exit', stopAll);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** True once something answers HTTP at `url` (any status). */
export async function answers(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return true;
}

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const quantile = (sorted, q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
