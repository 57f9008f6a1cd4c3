// The usage sink under load: how many usage rows per second reach the database, and that none is lost. The load
// generator counts every answered request; after a graceful stop (SIGTERM writes what is queued) the gateway's SQLite
// file must hold exactly one final row per answered request.
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import * as C from '../contenders.mjs';
import { terminate, stop } from '../lib.mjs';
import { jsonBody } from '../load.mjs';

const countRows = (dbPath) => {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select count(*) as rows, coalesce(sum(final), 0) as finals from usage_logs').get();
  } finally {
    db.close();
  }
};

/**
 * `connections` client loops, each sending the next JSON call when the last one is answered, for `seconds`; a loop
 * finishes the call it has in flight (none is cut), so every request the server saw is counted as answered.
 */
async function load(target, connections, seconds) {
  const pool = new Pool(target.base, { connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', ...target.headers };
  let ok = 0;
  let failed = 0; // answered, but not 200: still one final row each
  let errors = 0; // no answer: the gateway may or may not have written a row
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      try {
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body: jsonBody });
        await res.body.dump();
        if (res.statusCode === 200) ok++;
        else failed++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { ok, failed, errors, answered: ok + failed, elapsed };
}

export async function usageSink({ fake, connections, seconds }) {
  const gw = await C.gateway(fake);
  try {
    const sent = await load(gw, connections, seconds);
    const loadEnd = performance.now();
    const behind = sent.answered - countRows(gw.dbPath).finals;
    // The writer flushes once a second (or per 500 rows): wait until every answered request has its row, up to 10 s.
    while (countRows(gw.dbPath).finals < sent.answered && performance.now() - loadEnd < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const flushLagMs = performance.now() - loadEnd;
    await terminate(gw.child);
    const final = countRows(gw.dbPath);
    return {
      connections,
      seconds: sent.elapsed,
      answered: sent.answered,
      failed: sent.failed,
      errors: sent.errors,
      requestsPerSecond: sent.answered / sent.elapsed,
      // every row, over the time from the first request until the last row was in the database
      recordsPerSecond: final.finals / (sent.elapsed + flushLagMs / 1000),
      behindAtLoadEnd: behind,
      flushLagMs,
      recorded: final.finals,
      rows: final.rows,
      lost: sent.answered - final.finals,
    };
  } finally {
    stop(gw.child);
  }
}
