import type { Ctx } from './types.js';

export interface SseFrame {
  text: string;
  /** The end marker (`data: [DONE]`, Anthropic `message_stop`, Responses `response.completed`). */
  terminal?: boolean;
}

/** `data: <json>\n\n` (common/custom-event.go). */
export function dataFrame(value: unknown): SseFrame {
  return { text: `data: ${JSON.stringify(value)}\n\n` };
}

/** `event: <type>\ndata: <json>\n\n` (Anthropic and Responses streams). */
export function eventFrame(value: { type: string } & Record<string, unknown>, terminal = false): SseFrame {
  return { text: `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`, terminal };
}

export const DONE_FRAME: SseFrame = { text: 'data: [DONE]\n\n', terminal: true };
export const MALFORMED_FRAME: SseFrame = { text: 'data: {not json\n\n' };

/** relay/helper/common.go SetEventStreamHeaders. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

function write(ctx: Ctx, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.res.destroyed || ctx.res.writableEnded) return resolve();
    ctx.res.write(text, () => resolve());
  });
}

/**
 * Streams `frames`, one every `streamIntervalMs`, applying the request's stream fault:
 * - stream-cut N: the first N frames, then the socket is destroyed (no chunked terminator);
 * - stream-stall N: the first N frames, then silence with the socket open (until close());
 * - stream-malformed N: `data: {not json` is inserted at index N (N good frames before it), the rest follows;
 * - stream-no-done: the terminal frame is dropped and the response ends normally.
 */
export async function writeSse(ctx: Ctx, frames: SseFrame[]): Promise<void> {
  const fault = ctx.streamFault;
  let list = frames;
  if (fault?.kind === 'stream-no-done') list = list.filter((f) => !f.terminal);
  if (fault?.kind === 'stream-malformed') {
    const at = Math.max(0, Math.min(fault.atChunk, list.length));
    list = [...list.slice(0, at), MALFORMED_FRAME, ...list.slice(at)];
  }
  const stopAt =
    fault?.kind === 'stream-cut' || fault?.kind === 'stream-stall' ? Math.max(0, fault.afterChunks) : Infinity;
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  ctx.res.writeHead(200, SSE_HEADERS);
  ctx.res.flushHeaders();
  const interval = ctx.state.streamIntervalMs;
  for (let i = 0; i < list.length && i < stopAt; i++) {
    if (i > 0 && interval > 0) await ctx.wait(interval);
    if (ctx.closed() || ctx.res.destroyed) return;
    await write(ctx, list[i]!.text);
  }
  if (ctx.closed() || ctx.res.destroyed) return;
  if (fault?.kind === 'stream-cut') {
    ctx.res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'stream-stall') return;
  ctx.res.end();
}
