// Sync at scale: P providers × M models × T tokens (P·M·T routes). The providers are added over the admin API, then
// synced the way the gateway syncs all of them: the scheduler's pass at start-up (every enabled provider,
// SyncConcurrency = 4 at a time, the same pass that runs every SyncIntervalMinutes). Timed until every provider has
// a successful report and the relay's route table serves every provider's routes; the gateway's peak memory.
// One fake process stands for every provider: provider n's base URL is `<fake>/p/<n>`, and its pricing lists one
// model of its own, so the relay's model list (/v1/models) shows which providers the route table holds.
import Database from 'better-sqlite3';
import * as C from '../contenders.mjs';
import { freePort, memoryOf, resetPeak, stop, terminate } from '../lib.mjs';

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every provider with its last sync report (the list pages by 100). */
async function providerList(gw) {
  const all = [];
  for (let page = 1; ; page++) {
    const { data } = await gw.call('GET', `/api/provider/?p=${page}&page_size=100`);
    all.push(...data.items);
    if (all.length >= data.total || data.items.length === 0) return all;
  }
}

/** How many providers' own models the relay's route table serves. */
async function servedProviders(gw, key) {
  const response = await fetch(`${gw.base}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  const list = await response.json();
  return (list.data ?? []).filter((m) => /^bench-p\d+-only$/.test(m.id)).length;
}

/**
 * Starts a gateway on the database and times its start-up sync pass: from /readyz answering (the pass starts as the
 * gateway starts listening) until every provider's last report is successful and newer than `since` (Unix seconds)
 * and the route table serves them all. Polls every 200 ms.
 */
async function timedPass(dbPath, { providers, key, since, timeoutMs, nodeArgs }) {
  const gw = await C.startGateway({ dbPath, nodeArgs, readyPollMs: 20 });
  const started = gw.readyAt;
  resetPeak(gw.child.pid); // the start-up itself (loading the route table) is not the pass
  try {
    for (;;) {
      const list = await providerList(gw);
      const done = list.filter((p) => p.last_sync_result?.ok && p.last_sync_result.started_at >= since).length;
      if (done === providers && (await servedProviders(gw, key)) === providers) break;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`sync pass not done after ${timeoutMs / 1000} s: ${done}/${providers} providers synced`);
      }
      await wait(200);
    }
    return { seconds: (performance.now() - started) / 1000, peakMiB: memoryOf(gw.child.pid).peak };
  } finally {
    // Graceful, so that a `--cpu-prof` in nodeArgs writes its profile.
    await terminate(gw.child).catch(() => stop(gw.child));
  }
}

export async function syncScale({ providers, models, tokens, timeoutMs = 600_000, nodeArgs }) {
  // The providers are added while the fake is not listening yet: adding one starts its first sync at once, and that
  // sync fails fast (connection refused) instead of racing the timed pass.
  const port = await freePort();
  const setup = await C.startGateway();
  const { dbPath } = setup;
  let fake;
  try {
    for (let n = 1; n <= providers; n++) {
      await C.addProvider(setup, `bench-${n}`, `http://127.0.0.1:${port}/p/${n}`);
    }
    const key = (await setup.call('POST', '/api/agg-token/', { name: 'bench' })).data.key;
    while ((await providerList(setup)).some((p) => !p.last_sync_result)) await wait(100);
    await terminate(setup.child);
    fake = await C.fakeProcess({ chunks: 1, gapMs: 0, models, tokens, port });
    const options = { providers, key, timeoutMs, nodeArgs };
    // The first pass writes everything: P·M pricing rows, P·T tokens, P·M·T routes.
    const first = await timedPass(dbPath, { ...options, since: 0 });
    // Reports carry Unix seconds: the next pass's must be newer than anything the first one wrote.
    await wait(1100);
    const since = Math.floor(Date.now() / 1000);
    // The next pass finds nothing changed upstream: what every scheduled sync costs from then on.
    const again = await timedPass(dbPath, { ...options, since });
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const { routes } = db.prepare('select count(*) as routes from model_routes').get();
    db.close();
    return {
      providers,
      models,
      tokens,
      routes,
      expectedRoutes: providers * models * tokens,
      firstSeconds: first.seconds,
      firstPeakMiB: first.peakMiB,
      againSeconds: again.seconds,
      againPeakMiB: again.peakMiB,
    };
  } finally {
    stop(setup.child);
    if (fake) stop(fake.child);
  }
}
