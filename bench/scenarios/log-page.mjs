// The call log over a big usage_logs table: a gateway's SQLite file is filled with N plausible rows (30 days of
// traffic from 50 users, 200 tokens, 12 providers, 14 models; 3 % of requests with a failed attempt before the one
// that answered), then the admin API's log page is timed: GET /api/log/ answers a page of requests with the total and
// the summary over the same filter, which is what the panel's log page shows (20 rows a page).
import Database from 'better-sqlite3';
import * as C from '../contenders.mjs';
import { median, quantile, stop, terminate } from '../lib.mjs';

const DAY = 86_400;
const MODELS = [
  ['gpt-4o-mini', 30],
  ['gpt-4o', 14],
  ['claude-3-5-sonnet', 12],
  ['claude-3-5-haiku', 8],
  ['gemini-1.5-flash', 8],
  ['deepseek-chat', 7],
  ['gemini-1.5-pro', 5],
  ['text-embedding-3-small', 5],
  ['deepseek-reasoner', 3],
  ['qwen-max', 3],
  ['o1-mini', 2],
  ['llama-3.1-70b', 1],
  ['mistral-large', 1],
  ['gpt-4.1', 1],
];
const ERRORS = [
  [429, 'rate_limited', 'upstream rate limit reached'],
  [502, 'upstream_error', 'upstream answered 502 Bad Gateway'],
  [503, 'upstream_error', 'no available channel for model'],
  [500, 'upstream_error', 'upstream answered 500'],
  [401, 'upstream_auth', 'invalid upstream token'],
  [0, 'timeout', 'upstream did not answer within 60 s'],
];
const AGENTS = ['openai-python/1.54.3', 'OpenAI/JS 4.73.0', 'curl/8.5.0', 'LangChain/0.3', 'Dify/0.11'];

/** A small seeded PRNG (mulberry32): the same rows every run, so runs compare. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills usage_logs with `rows` rows over the 30 days before `now`, in id (= time) order, as the writer would. */
export function fillUsageLogs(dbPath, rows, now) {
  const rand = prng(7);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const total = MODELS.reduce((sum, [, w]) => sum + w, 0);
  const model = () => {
    let r = rand() * total;
    for (const [name, w] of MODELS) if ((r -= w) < 0) return name;
    return MODELS[0][0];
  };
  const hex = () =>
    Math.floor(rand() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const columns = [
    'request_id',
    'created_at',
    'user_id',
    'aggregated_token_id',
    'provider_id',
    'provider_name',
    'provider_token_id',
    'route_id',
    'model_name',
    'endpoint',
    'is_stream',
    'status',
    'http_status',
    'error_type',
    'error_message',
    'attempt',
    'final',
    'latency_ms',
    'first_byte_ms',
    'prompt_tokens',
    'completion_tokens',
    'cache_tokens',
    'total_tokens',
    'cost_usd',
    'client_ip',
    'user_agent',
  ];
  const insert = db.prepare(
    `insert into usage_logs (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  // Leave an hour free at the old end so the start-up retention run (30 days by default) deletes nothing.
  const start = now - 30 * DAY + 3600;
  const span = now - start;
  const row = (i, over) => {
    const token = int(1, 200);
    const name = over.model_name;
    const stream = name.startsWith('text-embedding') ? 0 : rand() < 0.55 ? 1 : 0;
    const ok = over.status === 1;
    const prompt = int(20, 6000);
    const completion = ok ? (name.startsWith('text-embedding') ? 0 : int(1, 2000)) : 0;
    const [httpStatus, errorType, errorMessage] = ok ? [200, '', ''] : pick(ERRORS);
    const latency = stream ? int(800, 30_000) : int(150, 8000);
    return {
      created_at: start + Math.floor((i * span) / rows),
      user_id: (token % 50) + 1,
      aggregated_token_id: token,
      provider_token_id: over.provider_id * 10 + int(0, 9),
      route_id: int(1, 5000),
      endpoint: name.startsWith('text-embedding') ? '/v1/embeddings' : '/v1/chat/completions',
      is_stream: stream,
      http_status: httpStatus,
      error_type: errorType,
      error_message: errorMessage,
      latency_ms: latency,
      first_byte_ms: ok ? Math.min(latency, int(80, 2500)) : 0,
      prompt_tokens: ok ? prompt : 0,
      completion_tokens: completion,
      cache_tokens: ok && rand() < 0.2 ? int(0, prompt) : 0,
      total_tokens: ok ? prompt + completion : 0,
      cost_usd: ok ? Math.round((prompt * 0.15 + completion * 0.6) * 1e-6 * 1e6) / 1e6 : 0,
      client_ip: `10.0.${int(0, 20)}.${int(1, 254)}`,
      user_agent: pick(AGENTS),
      ...over,
    };
  };
  const started = performance.now();
  let written = 0;
  const batch = db.transaction((count) => {
    for (let n = 0; n < count;) {
      const requestId = hex() + hex() + hex() + hex();
      const modelName = model();
      const providerId = int(1, 12);
      // 3 % of requests failed on a first provider and were answered by a second one
      if (rand() < 0.03 && n + 1 < count) {
        const failedOn = (providerId % 12) + 1;
        insert.run(
          row(written + n, {
            request_id: requestId,
            model_name: modelName,
            provider_id: failedOn,
            provider_name: `provider-${failedOn}`,
            status: 0,
            attempt: 1,
            final: 0,
          }),
        );
        n++;
      }
      const ok = rand() < 0.96 ? 1 : 0;
      insert.run(
        row(written + n, {
          request_id: requestId,
          model_name: modelName,
          provider_id: providerId,
          provider_name: `provider-${providerId}`,
          status: ok,
          attempt: 1,
          final: 1,
        }),
      );
      n++;
    }
  });
  while (written < rows) {
    const count = Math.min(50_000, rows - written);
    batch(count);
    written += count;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows: written, seconds: (performance.now() - started) / 1000 };
}

/** The queries the log page makes: the unfiltered first page, and pages narrowed the ways the panel narrows them. */
const QUERIES = (now) => [
  ['first page', ''],
  ['model, last 7 days', `&model=gpt-4o&start_time=${now - 7 * DAY}`],
  ['user, last 24 h', `&user_id=7&start_time=${now - DAY}`],
  ['errors only', '&status=error'],
  ['provider, 30 days', `&provider_id=3&start_time=${now - 30 * DAY}`],
  ['page 50', '', 50],
];

export async function logPage({ rows, calls }) {
  const now = Math.floor(Date.now() / 1000);
  const setup = await C.startGateway(); // runs the migrations: the schema is the gateway's own
  await terminate(setup.child);
  const fill = fillUsageLogs(setup.dbPath, rows, now);
  const gw = await C.startGateway({ dbPath: setup.dbPath });
  try {
    const results = [];
    for (const [label, filter, page = 1] of QUERIES(now)) {
      const url = `/api/log/?p=${page}&page_size=20${filter}`;
      const first = await gw.call('GET', url); // warm-up, and the total to report
      const times = [];
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await gw.call('GET', url);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      results.push({ label, url, total: first.data.total, medianMs: median(times), maxMs: quantile(times, 1) });
    }
    return { rows: fill.rows, fillSeconds: fill.seconds, calls, queries: results };
  } finally {
    stop(gw.child);
  }
}
