// Shared bits: the fake upstream's credentials, child processes (own process group, killed on exit), probes.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const ACCESS_TOKEN = 'fake-access-token';
export const USER_ID = 1;
export const SK_KEY = 'benchFakeKey0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, 48);
export const MODEL = 'gpt-4o-mini';
export const CHUNKS = 50;

const children = new Set();

/** Spawns a command in its own process group; resolves once `ready` (a probe) answers true. */
export async function start(name, cmd, args, { env = {}, cwd, ready, timeoutMs = 30_000 } = {}) {
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
    await new Promise((r) => setTimeout(r, 100));
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
