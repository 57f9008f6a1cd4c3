// A standalone fake NewAPI for the bench (plain node:http, shapes copied from server/test/fake-newapi/):
// the management endpoints the gateway's sync needs, and /v1/chat/completions as JSON (~1 KB out) or SSE.
// Usage: node bench/fake-upstream.mjs <port> [chunks=50] [gapMs=5]   (prints "ready <port>" when listening)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const CHUNKS = Number(process.argv[3] ?? 50);
const GAP_MS = Number(process.argv[4] ?? 5);
import { ACCESS_TOKEN, MODEL, SK_KEY, USER_ID } from './lib.mjs';
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

function management(req, res, path) {
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
    return json(res, 200, {
      success: true,
      data: [
        {
          model_name: MODEL,
          vendor_id: 1,
          quota_type: 0,
          model_ratio: 0.075,
          model_price: 0,
          owner_by: '',
          completion_ratio: 4,
          enable_groups: ['default'],
          supported_endpoint_types: ['openai'],
        },
      ],
      vendors: [{ id: 1, name: 'OpenAI', description: 'OpenAI models', icon: 'OpenAI' }],
      group_ratio: { default: 1 },
      usable_group: { default: '默认分组' },
      supported_endpoint: { openai: { path: '/v1/chat/completions', method: 'POST' } },
      auto_groups: ['default'],
      pricing_version: 'bench',
    });
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
  if (path === '/api/token/') return ok(res, { page: 1, page_size: 100, total: 1, items: [token] });
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
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('X-Oneapi-Request-Id', String(seq));
    if (path.startsWith('/api/')) return management(req, res, path);
    if (req.method === 'POST' && path === '/v1/chat/completions')
      return chat(req, res, Buffer.concat(chunks).toString());
    json(res, 404, { error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error' } });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
