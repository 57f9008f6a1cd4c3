// A standalone fake NewAPI for the bench (plain node:http, shapes copied from server/test/fake-newapi/):
// the management endpoints the gateway's sync needs, and /v1/chat/completions as JSON (~1 KB out) or SSE.
// Usage: node bench/fake-upstream.mjs <port> [chunks=50] [gapMs=5] [models=1] [tokens=1]
// (prints "ready <port>" when listening). With more models and tokens it stands for a large provider; a path prefix
// `/p/<n>` makes it stand for provider n (its own token keys), so one process can play 100 providers for the sync
// scenario: the gateway joins a provider's base URL and the API path, so `http://host:port/p/7` works as a base URL.
import { createServer } from 'node:http';
import { ACCESS_TOKEN, MODEL, SK_KEY, USER_ID } from './lib.mjs';

const port = Number(process.argv[2] ?? 0);
const CHUNKS = Number(process.argv[3] ?? 50);
const GAP_MS = Number(process.argv[4] ?? 5);
const MODELS = Number(process.argv[5] ?? 1);
const TOKENS = Number(process.argv[6] ?? 1);
const ANSWER = 'x'.repeat(700); // the JSON answer is ≈1 KB with its envelope

const json = (res, status, value) => {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
};
const ok = (res, data) => json(res, 200, { success: true, message: '', data });

const pricingItem = (model_name) => ({
  model_name,
  vendor_id: 1,
  quota_type: 0,
  model_ratio: 0.075,
  model_price: 0,
  owner_by: '',
  completion_ratio: 4,
  enable_groups: ['default'],
  supported_endpoint_types: ['openai'],
});
/**
 * The pricing document, serialised once per provider (a 500-model list is ≈150 KB). Provider n > 0 has one model of its
 * own, `bench-p<n>-only`, so the relay's model list shows which providers' routes its route table holds.
 */
const pricingCache = new Map();
function pricingOf(provider) {
  if (!pricingCache.has(provider)) {
    const name = (i) =>
      i === 0 ? MODEL : provider > 0 && i === MODELS - 1 ? `bench-p${provider}-only` : `bench-model-${i}`;
    const document = {
      success: true,
      data: Array.from({ length: MODELS }, (_, i) => pricingItem(name(i))),
      vendors: [{ id: 1, name: 'OpenAI', description: 'OpenAI models', icon: 'OpenAI' }],
      group_ratio: { default: 1 },
      usable_group: { default: '默认分组' },
      supported_endpoint: { openai: { path: '/v1/chat/completions', method: 'POST' } },
      auto_groups: ['default'],
      pricing_version: 'bench',
    };
    pricingCache.set(provider, Buffer.from(JSON.stringify(document)));
  }
  return pricingCache.get(provider);
}

const token = {
  id: 1,
  user_id: USER_ID,
  key: SK_KEY,
  status: 1,
  name: 'bench',
  created_time: 1_751_000_060,
  accessed_time: 1_751_000_060,
  expired_time: -1,
  remain_quota: 0,
  unlimited_quota: true,
  model_limits_enabled: false,
  model_limits: '',
  allow_ips: '',
  used_quota: 0,
  group: '',
  cross_group_retry: false,
  DeletedAt: null,
};
/** Provider 0 (no prefix) has the key the chat endpoint accepts; the others get distinct 48-character keys. */
const tokensCache = new Map();
function tokensOf(provider) {
  if (!tokensCache.has(provider)) {
    const keyOf = (i) => (provider === 0 && i === 0 ? SK_KEY : `bench${provider}t${i}`.padEnd(48, 'k'));
    tokensCache.set(
      provider,
      Array.from({ length: TOKENS }, (_, i) => ({ ...token, id: i + 1, key: keyOf(i), name: `bench-${i + 1}` })),
    );
  }
  return tokensCache.get(provider);
}

function management(req, res, path, query, provider) {
  if (path === '/api/status') {
    return ok(res, {
      version: 'v1.0.0-rc.21',
      start_time: 1_751_000_000,
      system_name: 'Fake NewAPI',
      quota_per_unit: 500_000,
      display_in_currency: true,
      quota_display_type: 'USD',
      checkin_enabled: false,
      setup: true,
    });
  }
  if (path === '/api/pricing') {
    const body = pricingOf(provider);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    return res.end(body);
  }
  const auth = (req.headers.authorization ?? '').replace('Bearer ', '');
  if (auth !== ACCESS_TOKEN || req.headers['new-api-user'] !== String(USER_ID)) {
    return json(res, 401, { success: false, message: 'Unauthorized, invalid access token' });
  }
  if (path === '/api/user/self') {
    return ok(res, {
      id: USER_ID,
      username: 'fake-user',
      display_name: 'fake-user',
      role: 1,
      status: 1,
      group: 'default',
      quota: 5_000_000_000,
      used_quota: 0,
      request_count: 0,
    });
  }
  if (path === '/api/token/') {
    // NewAPI's paging (p from 1, p=0 means 1), so more than 100 tokens take several pages as upstream.
    const page = Math.max(1, Number(query.get('p') ?? 1));
    const size = Number(query.get('page_size') ?? 100);
    const items = tokensOf(provider).slice((page - 1) * size, page * size);
    return ok(res, { page, page_size: size, total: TOKENS, items });
  }
  json(res, 404, { error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error' } });
}

let seq = 0;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function chat(req, res, body) {
  if (req.headers.authorization !== `Bearer sk-${SK_KEY}` && req.headers.authorization !== `Bearer ${SK_KEY}`) {
    return json(res, 401, { error: { message: 'invalid token', type: 'new_api_error' } });
  }
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return json(res, 400, { error: { message: 'bad json', type: 'invalid_request_error' } });
  }
  const id = `chatcmpl-${++seq}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: Math.ceil(body.length / 4), completion_tokens: CHUNKS * 2, total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (!parsed.stream) {
    return json(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: parsed.model,
      system_fingerprint: null,
      choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, logprobs: null, finish_reason: 'stop' }],
      usage,
    });
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const head = { id, object: 'chat.completion.chunk', created, model: parsed.model, system_fingerprint: null };
  const frame = (v) => `data: ${JSON.stringify(v)}\n\n`;
  for (let i = 0; i < CHUNKS; i++) {
    if (i > 0 && GAP_MS > 0) await wait(GAP_MS);
    if (res.destroyed) return;
    const delta = i === 0 ? { role: 'assistant', content: `c${i} ` } : { content: `c${i} ` };
    res.write(frame({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] }));
  }
  res.write(frame({ ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }));
  res.write(frame({ ...head, choices: [], usage }));
  res.end('data: [DONE]\n\n');
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = /^\/p\/(\d+)(?=\/)/.exec(url.pathname);
    const path = prefix ? url.pathname.slice(prefix[0].length) : url.pathname;
    res.setHeader('X-Oneapi-Request-Id', String(seq));
    if (path.startsWith('/api/')) return management(req, res, path, url.searchParams, Number(prefix?.[1] ?? 0));
    if (req.method === 'POST' && path === '/v1/chat/completions')
      return chat(req, res, Buffer.concat(chunks).toString());
    json(res, 404, { error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error' } });
  });
});
server.keepAliveTimeout = 60_000;
// A backlog above Node's 511, so 2,000 streams opened at once are not held up by dropped SYNs.
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => console.log(`ready ${server.address().port}`));
