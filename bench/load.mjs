// The load: autocannon for throughput under concurrency, a precise (hrtime) client for c=1 latency and streams.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { CHUNKS, MODEL, quantile } from './lib.mjs';

const PATH = '/v1/chat/completions';
const prompt = 'Benchmark prompt. '.repeat(50); // ≈1 KB request body with the envelope
export const jsonBody = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: prompt }] });
export const streamBody = JSON.stringify({
  model: MODEL,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: 'user', content: prompt }],
});

const headersOf = (target) => ({ 'content-type': 'application/json', ...target.headers });

/** One call; resolves { status, body, ttfb, end } (ms since the call, hrtime). */
function call(target, body, agent) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const req = request(
      target.base + PATH,
      { method: 'POST', agent, headers: { ...headersOf(target), 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let ttfb;
        const parts = [];
        res.on('data', (chunk) => {
          ttfb ??= ms();
          parts.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode, body: Buffer.concat(parts).toString(), ttfb, end: ms() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const streamComplete = (r) =>
  r.status === 200 &&
  r.body.trimEnd().endsWith('data: [DONE]') &&
  (r.body.match(/"content":"c\d+ "/g) ?? []).length === CHUNKS;

/** Throws unless the target answers one JSON call and one stream correctly. */
export async function check(target) {
  const agent = new Agent({ keepAlive: true });
  try {
    const json = await call(target, jsonBody, agent);
    const content = json.status === 200 && JSON.parse(json.body).choices?.[0]?.message?.content;
    if (typeof content !== 'string' || content.length < 500)
      throw new Error(`JSON answer ${json.status}: ${json.body.slice(0, 300)}`);
    const stream = await call(target, streamBody, agent);
    if (!streamComplete(stream)) throw new Error(`stream answer ${stream.status}: ${stream.body.slice(0, 300)}`);
  } finally {
    agent.destroy();
  }
}

/** Non-streaming at concurrency c with autocannon: req/s, p50/p99 (ms, whole-ms resolution), errors. */
export async function throughput(target, c, seconds) {
  const result = await autocannon({
    url: target.base + PATH,
    method: 'POST',
    headers: headersOf(target),
    body: jsonBody,
    connections: c,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

/** Non-streaming at c=1, timed with hrtime: p50/p99 in fractional ms. */
export async function sequential(target, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const lat = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  try {
    while (Date.now() < until) {
      const r = await call(target, jsonBody, agent).catch(() => ({ status: 0 }));
      if (r.status === 200) lat.push(r.end);
      else errors++;
    }
  } finally {
    agent.destroy();
  }
  lat.sort((a, b) => a - b);
  return {
    rps: lat.length / seconds,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    errors,
    total: lat.length + errors,
  };
}

/** c concurrent streams, each client loop starting a new stream when one ends, for `seconds`. */
export async function streams(target, c, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: c });
  const ttfb = [];
  const durations = [];
  let completed = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  const loop = async () => {
    do {
      const r = await call(target, streamBody, agent).catch(() => ({ status: 0, body: '' }));
      if (streamComplete(r)) {
        completed++;
        ttfb.push(r.ttfb);
        durations.push(r.end - r.ttfb);
      } else failed++;
    } while (Date.now() < until);
  };
  try {
    await Promise.all(Array.from({ length: c }, loop));
  } finally {
    agent.destroy();
  }
  ttfb.sort((a, b) => a - b);
  durations.sort((a, b) => a - b);
  return {
    ttfb50: quantile(ttfb, 0.5),
    ttfb99: quantile(ttfb, 0.99),
    // the time from the first to the last byte, spread over the chunk gaps
    chunkGap: quantile(durations, 0.5) / (CHUNKS - 1),
    completed,
    errors: failed,
    total: completed + failed,
  };
}
