// The scenarios that do not fit the contender × load table: each starts a gateway of its own (a fresh process, so
// its memory and its database hold only what the scenario did), runs once, and returns its own small table.
// Full sizes come from issue 7; --smoke runs each scaled down so that CI still exercises them in seconds.
import { logPage } from './log-page.mjs';
import { openStreams } from './open-streams.mjs';
import { syncScale } from './sync-scale.mjs';
import { usageSink } from './usage-sink.mjs';

const SIZES = {
  full: {
    streams: { streams: 2000, chunks: 40, gapMs: 250, stallMs: 2000 },
    sink: { connections: 64, seconds: 10 },
    sync: { providers: 100, models: 500, tokens: 10 },
    logs: { rows: 1_000_000, calls: 7 },
  },
  smoke: {
    streams: { streams: 100, chunks: 10, gapMs: 50, stallMs: 2000 },
    sink: { connections: 16, seconds: 1 },
    sync: { providers: 5, models: 20, tokens: 2 },
    logs: { rows: 10_000, calls: 3 },
  },
};
const TARGETS = { rssMiB: 300, syncSeconds: 5, pageMs: 200 };

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const count = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');

/**
 * Runs every scenario in turn; one that throws is reported and the others still run. Resolves { results, lines,
 * checks, broken }: results for the JSON, markdown lines, target checks ({label, value, unit, status}) and what
 * makes the run fail (a scenario that did not run, lost usage records, a wrong route count).
 */
export async function runScenarios({ smoke, fake, say }) {
  const size = SIZES[smoke ? 'smoke' : 'full'];
  const results = {};
  const broken = [];
  const run = async (id, label, body) => {
    say(`scenario: ${label}`);
    try {
      results[id] = await body();
    } catch (error) {
      results[id] = { error: error.message };
      broken.push(`${label}: ${error.message.split('\n')[0]}`);
    }
  };
  await run('streams', `${size.streams.streams} open streams`, () => openStreams(size.streams));
  await run('sink', 'usage sink', () => usageSink({ fake, ...size.sink }));
  await run('sync', 'sync at scale', () => syncScale(size.sync));
  await run('logs', 'log page', () => logPage(size.logs));

  const lines = [];
  const checks = [];
  const check = (label, value, unit, pass, digits = 0) =>
    checks.push({
      label,
      value,
      unit,
      digits,
      status: Number.isFinite(value) ? (pass(value) ? 'PASS' : 'MISS') : 'n/a',
    });

  const s = results.streams;
  if (s && !s.error) {
    lines.push(
      '',
      `**${count(s.streams)} streams open at once through the gateway** (fake: ${size.streams.chunks} chunks ` +
        `${size.streams.gapMs} ms apart; a stall is more than ${size.streams.stallMs / 1000} s without a byte once ` +
        'streaming)',
      '',
      '| streams | completed | failed | stalls | open at once | TTFB p50 ms | TTFB p99 ms | RSS before MiB | peak RSS MiB | wall s |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${count(s.streams)} | ${count(s.completed)} | ${s.failed} | ${s.stalls} | ${count(s.peakOpen)} | ` +
        `${fmt(s.ttfb50)} | ${fmt(s.ttfb99)} | ${fmt(s.rssBeforeMiB)} | ${fmt(s.rssPeakMiB)} | ${fmt(s.seconds, 1)} |`,
    );
    check(`${count(s.streams)} streams: all complete`, s.completed, '', (v) => v === s.streams);
    check(`${count(s.streams)} streams: no stall`, s.stalls, '', (v) => v === 0);
    check(
      `${count(s.streams)} streams: gateway peak RSS < ${TARGETS.rssMiB} MiB`,
      s.rssPeakMiB,
      ' MiB',
      (v) => v < TARGETS.rssMiB,
    );
  }

  const u = results.sink;
  if (u && !u.error) {
    lines.push(
      '',
      `**Usage sink** (JSON calls at c=${u.connections} for ${size.sink.seconds} s, then SIGTERM; rows counted in the ` +
        "gateway's SQLite file)",
      '',
      '| answered | failed | req/s | records/s written | rows not yet written at the end | flush lag ms | recorded | lost |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${count(u.answered)} | ${u.failed + u.errors} | ${fmt(u.requestsPerSecond)} | ${fmt(u.recordsPerSecond)} | ` +
        `${count(u.behindAtLoadEnd)} | ${fmt(u.flushLagMs)} | ${count(u.recorded)} | ${u.lost} |`,
    );
    check('usage sink: lost records = 0', u.lost, '', (v) => v === 0);
    if (u.lost !== 0) broken.push(`usage sink: ${u.lost} records lost`);
  }

  const y = results.sync;
  if (y && !y.error) {
    lines.push(
      '',
      `**Sync of ${y.providers} providers × ${y.models} models × ${y.tokens} tokens** (${count(y.routes)} routes; the ` +
        "scheduler's pass at start-up, 4 providers at a time, timed from /readyz until every provider has a new report " +
        'and the relay serves every provider)',
      '',
      '| pass | seconds | peak RSS MiB |',
      '|---|---:|---:|',
      `| first (everything new) | ${fmt(y.firstSeconds, 2)} | ${fmt(y.firstPeakMiB)} |`,
      `| again (nothing changed) | ${fmt(y.againSeconds, 2)} | ${fmt(y.againPeakMiB)} |`,
    );
    check(
      `sync ${y.providers}×${y.models}×${y.tokens}, first pass < ${TARGETS.syncSeconds} s`,
      y.firstSeconds,
      ' s',
      (v) => v < TARGETS.syncSeconds,
      2,
    );
    check(
      `sync ${y.providers}×${y.models}×${y.tokens}, next pass < ${TARGETS.syncSeconds} s`,
      y.againSeconds,
      ' s',
      (v) => v < TARGETS.syncSeconds,
      2,
    );
    if (y.routes !== y.expectedRoutes) broken.push(`sync: ${y.routes} routes, expected ${y.expectedRoutes}`);
  }

  const l = results.logs;
  if (l && !l.error) {
    lines.push(
      '',
      `**Log page over ${count(l.rows)} usage rows** (GET /api/log/, 20 rows with the total and the summary; ` +
        `median of ${l.calls} calls after one warm-up)`,
      '',
      '| query | matches | median ms | slowest ms |',
      '|---|---:|---:|---:|',
      ...l.queries.map((q) => `| ${q.label} | ${count(q.total)} | ${fmt(q.medianMs, 1)} | ${fmt(q.maxMs, 1)} |`),
    );
    const slowest = l.queries.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
    check(
      `log page over ${count(l.rows)} rows < ${TARGETS.pageMs} ms (slowest: ${slowest.label})`,
      slowest.medianMs,
      ' ms',
      (v) => v < TARGETS.pageMs,
      1,
    );
  }
  return { results, lines, checks, broken };
}
