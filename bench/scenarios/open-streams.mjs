// Many streams open at once through the gateway: its peak memory, and whether every stream completes without a stall.
// A fake of its own streams slowly (chunks far apart), so every stream is still open when the last one starts.
import { Agent, get, request } from 'node:http';
import * as C from '../contenders.mjs';
import { memoryOf, quantile, resetPeak, stop } from '../lib.mjs';
import { streamBody } from '../load.mjs';

/**
 * One stream: { ok, ttfb, maxGap } in ms. maxGap is the longest time without a byte once the stream has started (the
 * wait for the first byte is the TTFB, reported on its own: 2,000 requests at once queue for the CPU).
 */
export function openStream(target, agent, chunks, onFirstByte) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let last;
    let maxGap = 0;
    let ttfb;
    const parts = [];
    let settled = false;
    const settle = (ok) => {
      if (settled) return;
      settled = true;
      if (ttfb !== undefined) onFirstByte(-1);
      resolve({ ok, ttfb, maxGap: ok || last === undefined ? maxGap : Math.max(maxGap, performance.now() - last) });
    };
    const fail = () => settle(false);
    const req = request(
      `${target.base}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(streamBody),
          ...target.headers,
        },
      },
      (res) => {
        res.on('data', (chunk) => {
          const now = performance.now();
          if (ttfb === undefined) {
            ttfb = now - t0;
            onFirstByte(1);
          } else maxGap = Math.max(maxGap, now - last);
          last = now;
          parts.push(chunk);
        });
        res.on('end', () => {
          const body = Buffer.concat(parts).toString();
          settle(
            res.statusCode === 200 &&
              body.trimEnd().endsWith('data: [DONE]') &&
              (body.match(/"content":"c\d+ "/g) ?? []).length === chunks,
          );
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(streamBody);
  });
}

/** Connects `count` keep-alive sockets to the gateway (a cheap GET on each), so they are open before the streams. */
function connect(base, agent, count) {
  const once = () =>
    new Promise((resolve, reject) => {
      get(`${base}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  return Promise.all(Array.from({ length: count }, once));
}

/**
 * Opens `streams` streams at once and waits for all of them. The client is raw node:http with one socket per stream,
 * connected beforehand: on a busy 2-core box, opening 2,000 connections and requests in one go stalls the client's own
 * event loop for a second or more, which would show up as the gateway's TTFB.
 */
export async function openStreams({ streams, chunks, gapMs, stallMs }) {
  const fake = await C.fakeProcess({ chunks, gapMs });
  let gw;
  try {
    gw = await C.gateway(fake.url);
    const before = memoryOf(gw.child.pid);
    // The start-up peak (migrations, the first sync) is not what this measures.
    resetPeak(gw.child.pid);
    const agent = new Agent({ keepAlive: true, maxSockets: streams, maxFreeSockets: streams });
    await connect(gw.base, agent, streams);
    let open = 0;
    let peakOpen = 0;
    const onFirstByte = (delta) => ((open += delta), (peakOpen = Math.max(peakOpen, open)));
    let sampled = 0;
    const sampler = setInterval(() => (sampled = Math.max(sampled, memoryOf(gw.child.pid).rss)), 100);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: streams }, () => openStream(gw, agent, chunks, onFirstByte)),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    agent.destroy();
    const after = memoryOf(gw.child.pid);
    const ttfb = results
      .map((r) => r.ttfb)
      .filter((t) => t !== undefined)
      .sort((a, b) => a - b);
    return {
      streams,
      completed: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
      stalls: results.filter((r) => r.maxGap > stallMs).length,
      maxGapMs: Math.max(...results.map((r) => r.maxGap)),
      peakOpen,
      ttfb50: quantile(ttfb, 0.5),
      ttfb99: quantile(ttfb, 0.99),
      seconds,
      rssBeforeMiB: before.rss,
      rssSampledMiB: sampled,
      // VmHWM (reset before the streams): also catches a peak between two samples
      rssPeakMiB: Math.max(after.peak, sampled),
    };
  } finally {
    if (gw) stop(gw.child);
    stop(fake.child);
  }
}
