#!/usr/bin/env node
// `npm run bench [-- --smoke] [-- --runs=N --duration=S]`: installs what it needs, starts every contender on
// 127.0.0.1, runs each scenario (interleaved, median over runs), prints and saves the table with ratios and targets.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as C from './contenders.mjs';
import { median, stopAll } from './lib.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const smoke = process.argv.includes('--smoke');
const RUNS = arg('runs', smoke ? 1 : 5);
const SECONDS = arg('duration', smoke ? 0.5 : 5);
const WARMUP = smoke ? 0 : 2;
const GAP_MS = 5;
const say = (...a) => console.error('[bench]', ...a);
const sh = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
const which = (bin) =>
  ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'].map((d) => `${d}/${bin}`).find(existsSync);

function install() {
  if (!existsSync(path.join(root, 'node_modules'))) {
    say('npm ci (project)');
    sh('npm', ['ci']);
  }
  sh(process.execPath, ['scripts/build-if-stale.mjs']);
  sh('npm', ['install', '--no-audit', '--no-fund'], bench);
  if (smoke) return;
  if (!existsSync(path.join(bench, 'peers/node_modules/@portkey-ai/gateway'))) {
    say('installing Portkey gateway 1.15.2 into bench/peers');
    try {
      sh('npm', ['install', '--no-audit', '--no-fund'], path.join(bench, 'peers'));
    } catch (error) {
      say(`Portkey could not be installed (${error.message}); going on without it`);
    }
  }
  if (!which('nginx') && which('apt-get') && process.getuid?.() === 0) {
    say('installing nginx (apt-get)');
    try {
      sh('apt-get', ['install', '-y', 'nginx']);
    } catch {
      say('nginx could not be installed; going on without it');
    }
  }
}

const SCENARIOS = [
  { id: 'json-c1', label: 'chat JSON c=1', run: (L, t) => L.sequential(t, SECONDS) },
  { id: 'json-c32', label: 'chat JSON c=32', run: (L, t) => L.throughput(t, 32, SECONDS) },
  { id: 'json-c256', label: 'chat JSON c=256', run: (L, t) => L.throughput(t, 256, SECONDS) },
  { id: 'sse-c1', label: 'SSE c=1', run: (L, t) => L.streams(t, 1, SECONDS) },
  { id: 'sse-c256', label: 'SSE c=256', run: (L, t) => L.streams(t, 256, SECONDS) },
];
const METRICS = {
  json: [
    ['rps', 'req/s', 0],
    ['p50', 'p50 ms', 2],
    ['p99', 'p99 ms', 2],
    ['errors', 'errors', 0],
  ],
  sse: [
    ['ttfb50', 'TTFB p50 ms', 2],
    ['ttfb99', 'TTFB p99 ms', 2],
    ['chunkGap', 'chunk gap ms', 3],
    ['completed', 'streams done', 0],
    ['errors', 'streams failed', 0],
  ],
};

async function main() {
  const started = Date.now();
  install();
  // Imported only now: they need the packages install() has just put in bench/node_modules.
  const L = await import('./load.mjs');
  const { runScenarios } = await import('./scenarios/index.mjs');
  const fake = await C.startFake({ chunks: 50, gapMs: GAP_MS });
  const targets = [C.direct(fake)];
  const skipped = {};
  // The two-worker gateway is required too, so the smoke run in CI keeps --workers working.
  const required = ['raw proxy', 'gateway', 'gateway 2 workers'];
  const peers = [
    ['raw proxy', () => C.rawProxy(fake)],
    ['gateway', () => C.gateway(fake)],
    ['gateway 2 workers', () => C.gateway(fake, { workers: 2 })],
  ];
  if (smoke) Object.assign(skipped, { portkey: 'smoke', nginx: 'smoke' });
  else if (existsSync(path.join(bench, 'peers/node_modules/@portkey-ai/gateway')))
    peers.push(['portkey', () => C.portkey(fake)]);
  else skipped.portkey = 'not installed';
  if (!smoke && which('nginx')) peers.push(['nginx', () => C.nginx(fake, which('nginx'))]);
  else if (!smoke) skipped.nginx = 'not installed';
  let broken = [];
  for (const [name, startIt] of peers) {
    try {
      targets.push(await startIt());
    } catch (error) {
      skipped[name] = `did not start: ${error.message.split('\n')[0]}`;
      if (required.includes(name)) broken.push(`${name}: ${error.message}`);
    }
  }
  for (const t of [...targets]) {
    try {
      await L.check(t);
    } catch (error) {
      targets.splice(targets.indexOf(t), 1);
      skipped[t.name] = `answered wrongly: ${error.message}`;
      if (t.name === 'direct' || required.includes(t.name)) broken.push(`${t.name}: ${error.message}`);
    }
  }
  if (WARMUP) {
    for (const t of targets) {
      say(`warm-up ${t.name}`);
      await L.throughput(t, 32, WARMUP);
      await L.streams(t, 32, 1);
    }
  }
  const samples = {}; // samples[scenario][contender] = [result per run]
  for (let r = 0; r < RUNS; r++) {
    for (const s of SCENARIOS) {
      for (const t of targets) {
        say(`run ${r + 1}/${RUNS} ${s.label} ${t.name}`);
        ((samples[s.id] ??= {})[t.name] ??= []).push(await s.run(L, t));
      }
    }
  }
  // The scenarios with a gateway of their own (open streams, usage sink, sync at scale, log page).
  const extra = await runScenarios({ smoke, fake, say });
  broken.push(...extra.broken);
  const med = (s, name, key) => median((samples[s]?.[name] ?? []).map((x) => x[key]));
  const names = targets.map((t) => t.name);
  // A correct contender must complete its load with no failed calls.
  for (const s of SCENARIOS)
    for (const n of names)
      if (med(s.id, n, 'errors') > 0 && required.concat('direct').includes(n)) {
        broken.push(`${n}: ${med(s.id, n, 'errors')} failed calls in ${s.label}`);
      }
  // Each round runs every contender back to back, so a target compares contenders round by round and takes the median
  // of those comparisons: on a shared box the throughput of all of them drifts from one round to the next (±40 %
  // here), and a ratio of medians taken from different rounds would carry that drift.
  const paired = (s, a, b, key, compare) => {
    const as = samples[s]?.[a] ?? [];
    const bs = samples[s]?.[b] ?? [];
    return median(as.slice(0, bs.length).map((x, r) => compare(x[key], bs[r][key])));
  };
  const ratio = (s, a, b, key = 'rps') => paired(s, a, b, key, (x, y) => x / y);
  const added = (s, a, b, key) => paired(s, a, b, key, (x, y) => x - y);
  const checks = [
    ['throughput gateway ≥ 3× Portkey (JSON c=32)', ratio('json-c32', 'gateway', 'portkey'), (v) => v >= 3, '×'],
    [
      'throughput gateway ≥ 0.7× raw proxy (JSON c=32)',
      ratio('json-c32', 'gateway', 'raw proxy'),
      (v) => v >= 0.7,
      '×',
    ],
    [
      'added p99 latency gateway − direct ≤ 1 ms (JSON c=1)',
      added('json-c1', 'gateway', 'direct', 'p99'),
      (v) => v <= 1,
      ' ms',
    ],
    [
      'added TTFB gateway − direct ≤ 2 ms (SSE c=1, p50)',
      added('sse-c1', 'gateway', 'direct', 'ttfb50'),
      (v) => v <= 2,
      ' ms',
    ],
    // No target: what Node's own proxying adds, for reading the line above.
    ['added p99 latency raw proxy − direct (JSON c=1)', added('json-c1', 'raw proxy', 'direct', 'p99'), null, ' ms'],
    // No target: on a 2-core box the load generator and the fake take cores from the second worker.
    [
      'throughput gateway 2 workers ÷ 1 worker (JSON c=32)',
      ratio('json-c32', 'gateway 2 workers', 'gateway'),
      null,
      '×',
    ],
  ]
    .map(([label, value, pass, unit]) => ({
      label,
      value,
      unit,
      status: !Number.isFinite(value) ? 'n/a' : pass === null ? 'info' : pass(value) ? 'PASS' : 'MISS',
    }))
    .concat(extra.checks);

  const fmt = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const lines = [
    `# Benchmark ${new Date().toISOString()}${smoke ? ' (smoke)' : ''}`,
    '',
    `CPU: ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} · ${os.platform()} ${os.release()} · RAM ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Runs: ${RUNS} × ${SECONDS}s per scenario and contender (median shown; a target compares contenders round by round, median of the rounds), warm-up ${WARMUP}s; fake upstream: JSON ≈1 KB out, SSE 50 chunks ${GAP_MS} ms apart.`,
    '',
    `| scenario | metric | ${names.join(' | ')} |`,
    `|---|---|${names.map(() => '---:').join('|')}|`,
  ];
  for (const s of SCENARIOS)
    for (const [key, label, d] of METRICS[s.id.split('-')[0]]) {
      lines.push(`| ${s.label} | ${label} | ${names.map((n) => fmt(med(s.id, n, key), d)).join(' | ')} |`);
    }
  lines.push(...extra.lines);
  lines.push('', '| target | value | result |', '|---|---:|---|');
  for (const c of checks) lines.push(`| ${c.label} | ${fmt(c.value, c.digits ?? 2)}${c.unit} | ${c.status} |`);
  lines.push(
    '',
    `Skipped: ${
      Object.entries(skipped)
        .map(([k, v]) => `${k} (${v})`)
        .join('; ') || 'none'
    }`,
  );
  lines.push(`Wall time: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (broken.length) lines.push('', `BROKEN: ${broken.join('; ')}`);
  const text = lines.join('\n') + '\n';
  console.log(text);
  const dir = path.join(bench, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, new Date().toISOString().slice(0, 10) + (smoke ? '-smoke' : ''));
  writeFileSync(`${file}.md`, text);
  writeFileSync(
    `${file}.json`,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        smoke,
        cpu: os.cpus()[0]?.model,
        cpus: os.cpus().length,
        node: process.version,
        runs: RUNS,
        seconds: SECONDS,
        samples,
        scenarios: extra.results,
        targets: checks,
        skipped,
        broken,
      },
      null,
      2,
    ),
  );
  say(`wrote ${path.relative(root, file)}.md/.json`);
  return broken.length === 0;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error('[bench] failed:', error);
} finally {
  stopAll();
  C.cleanTemps();
}
process.exit(ok ? 0 : 1);
