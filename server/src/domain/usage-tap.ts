/**
 * Watches a response body go by and reads the token usage out of it, without touching the
 * bytes: the caller forwards its original chunks itself and hands the tap the same chunks.
 *
 * API: `push(chunk)` for every chunk, then `await end()`. `end()` is asynchronous for every
 * format and encoding, because node:zlib decompresses incrementally only asynchronously; for
 * an uncompressed body it resolves at once. `sawEnd` and `events` are final once `end()` has
 * resolved (for an uncompressed body they are also up to date after each `push`).
 *
 * - JSON: the (decompressed) body is buffered up to `maxJsonBytes` and parsed at the end; past
 *   the limit the tap gives up and `end()` yields undefined. A JSON array body is read as a
 *   list of objects whose usages are merged.
 * - SSE: parsed as the event-stream spec says (LF, CR or CRLF line ends; several `data:` lines
 *   of one event joined with `\n`; comments and unknown fields ignored; a leading BOM
 *   dropped). Each event's data is parsed as JSON when it could hold usage or an end marker;
 *   `[DONE]` and non-JSON data count as events but carry no usage. Usages merge across
 *   events (`mergeUsage`). An SSE line longer than `maxLineBytes` is skipped; if it was a
 *   `data:` line, its event still counts but is not read. At the end of the body an
 *   unterminated last line and an event lacking its closing blank line are still read (a
 *   browser would drop them; the bytes did come from upstream).
 * - Compressed bodies (`gzip`/`x-gzip`, `deflate` zlib-wrapped or raw, `br`, and lists of
 *   them such as `gzip, br`) are decompressed from a copy. An unknown coding disables the tap
 *   (undefined usage). If decompression fails (garbage, truncation): JSON yields undefined;
 *   SSE keeps the usage of the events completed before the failure and drops the rest.
 *
 * Nothing here throws: `push` swallows everything and `end()` never rejects. Call `end()`
 * also when the body is cut short (client gone, upstream reset): it releases the zlib streams.
 */
import { Decoder, parseCodings } from './content-decoding.js';
import { completeUsage, mergeUsage, usageFromObject, type Usage } from './usage.js';

export type TapFormat = 'json' | 'sse';

export interface TapLimits {
  /** Decompressed JSON bytes buffered at most; beyond, the tap gives up. Default 16 MiB. */
  maxJsonBytes?: number;
  /** Longest SSE line read (bytes, without its line end); longer ones are skipped. Default 4 MiB. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const DATA_PREFIX = Buffer.from('data:');

/** Data worth a JSON.parse: it may carry usage or an end marker. */
const INTERESTING = /usage|message_stop|response\.(?:completed|incomplete|failed)|finishReason/;

/** Responses API events that end a response stream. */
const RESPONSES_TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export class UsageTap {
  private readonly maxJsonBytes: number;
  private readonly maxLineBytes: number;
  private readonly decoders: Decoder[] = [];
  /** Unknown content coding, decompression failure or JSON too large: stop looking. */
  private stopped = false;
  private decodeFailed = false;
  private endCalled = false;
  private result: Promise<Usage | undefined> | undefined;
  private resolveResult: ((usage: Usage | undefined) => void) | undefined;

  // JSON
  private jsonChunks: Buffer[] = [];
  private jsonBytes = 0;

  // SSE
  private usage: Partial<Usage> | undefined;
  private seenEnd = false;
  private eventCount = 0;
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private skippingLine = false;
  private skipLeadingLf = false;
  private firstLine = true;
  private eventType = '';
  private dataParts: string[] = [];
  private dataLength = 0;
  private dataLost = false;

  constructor(
    private readonly format: TapFormat,
    contentEncoding?: string,
    limits?: TapLimits,
  ) {
    this.maxJsonBytes = positive(limits?.maxJsonBytes, DEFAULT_MAX_JSON_BYTES);
    this.maxLineBytes = positive(limits?.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
    const codings = parseCodings(contentEncoding);
    if (codings === undefined) {
      this.stopped = true;
      return;
    }
    codings.forEach((coding, index) => {
      const last = index === codings.length - 1;
      this.decoders.push(
        new Decoder(
          coding,
          (chunk) => (last ? this.consume(chunk) : this.decoders[index + 1]?.write(chunk)),
          (ok) => {
            if (!ok) this.failDecoding();
            else if (last) this.settle();
            else this.decoders[index + 1]?.end();
          },
        ),
      );
    });
  }

  /** SSE only: whether a terminal marker was seen (`[DONE]`, message_stop, response.completed, …). */
  get sawEnd(): boolean {
    return this.seenEnd;
  }

  /** SSE only: number of data events seen (`[DONE]` and non-JSON ones included). */
  get events(): number {
    return this.eventCount;
  }

  /** Observes one chunk of the body as sent by upstream. Never throws; never keeps `chunk`. */
  push(chunk: Buffer): void {
    try {
      const input: unknown = chunk; // callers outside TypeScript may pass anything
      if (this.endCalled || this.stopped || !(input instanceof Uint8Array) || input.length === 0) return;
      const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
      const first = this.decoders[0];
      // zlib reads its input later, so it gets a copy the caller cannot change under it.
      if (first !== undefined) first.write(Buffer.from(bytes));
      else this.consume(bytes);
    } catch {
      this.stop();
    }
  }

  /** The final usage (merged across SSE events), or undefined. Never rejects; idempotent. */
  end(): Promise<Usage | undefined> {
    if (this.result !== undefined) return this.result;
    this.endCalled = true;
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
    const first = this.decoders[0];
    if (first === undefined || this.stopped) this.settle();
    else {
      try {
        first.end();
      } catch {
        this.failDecoding();
      }
    }
    return this.result;
  }

  /** Decompressed (or plain) body bytes. `bytes` may be the caller's buffer: copy to keep. */
  private consume(bytes: Buffer): void {
    if (this.stopped) return;
    try {
      if (this.format === 'json') this.bufferJson(bytes);
      else this.feedSse(bytes);
    } catch {
      this.stop();
    }
  }

  private failDecoding(): void {
    this.decodeFailed = true;
    this.stop();
  }

  /** Gives up reading anything more (usage already merged from SSE events is kept). */
  private stop(): void {
    this.stopped = true;
    this.jsonChunks = [];
    this.lineParts = [];
    this.dataParts = [];
    for (const decoder of this.decoders) decoder.destroy();
    if (this.endCalled) this.settle();
  }

  /** Resolves `end()` (once it has been called). */
  private settle(): void {
    const resolve = this.resolveResult;
    if (resolve === undefined) return;
    this.resolveResult = undefined;
    let usage: Usage | undefined;
    try {
      usage = this.format === 'json' ? this.finishJson() : this.finishSse();
    } catch {
      usage = undefined;
    }
    resolve(usage);
  }

  // ---- JSON ----

  private bufferJson(bytes: Buffer): void {
    this.jsonBytes += bytes.length;
    if (this.jsonBytes > this.maxJsonBytes) {
      this.stop();
      return;
    }
    this.jsonChunks.push(Buffer.from(bytes));
  }

  private finishJson(): Usage | undefined {
    if (this.stopped || this.decodeFailed) return undefined;
    // The chunks are the tap's own copies: a body that came in one needs no further copy.
    const bytes = this.jsonChunks.length === 1 ? this.jsonChunks[0]! : Buffer.concat(this.jsonChunks);
    const text = bytes.toString('utf8');
    this.jsonChunks = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed)) return completeUsage(usageFromObject(parsed));
    let usage: Partial<Usage> | undefined;
    for (const item of parsed) usage = mergeUsage(usage, usageFromObject(item));
    return completeUsage(usage);
  }

  // ---- SSE ----

  private finishSse(): Usage | undefined {
    if (!this.stopped) {
      // The body ended: read an unterminated last line and an event missing its blank line.
      if (this.lineBytes > 0 || this.skippingLine) this.endLine(Buffer.alloc(0));
      this.dispatch();
    }
    return completeUsage(this.usage);
  }

  private feedSse(chunk: Buffer): void {
    let pos = 0;
    if (this.skipLeadingLf) {
      // The previous chunk ended in CR: an LF here belongs to the same CRLF.
      this.skipLeadingLf = false;
      if (chunk[0] === LF) pos = 1;
    }
    let lf = chunk.indexOf(LF, pos);
    let cr = chunk.indexOf(CR, pos);
    while (lf !== -1 || cr !== -1) {
      const eol = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.endLine(chunk.subarray(pos, eol));
      pos = eol + 1;
      if (eol === cr) {
        if (pos === chunk.length) this.skipLeadingLf = true;
        else if (chunk[pos] === LF) pos += 1;
      }
      if (this.stopped) return;
      if (lf !== -1 && lf < pos) lf = chunk.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf(CR, pos);
    }
    if (pos < chunk.length) this.addToLine(chunk.subarray(pos));
  }

  /** Part of a line whose end has not arrived yet. */
  private addToLine(piece: Buffer): void {
    if (this.skippingLine) return;
    if (this.lineBytes + piece.length > this.maxLineBytes) {
      this.skipLine([...this.lineParts, piece]);
      return;
    }
    this.lineParts.push(Buffer.from(piece));
    this.lineBytes += piece.length;
  }

  private skipLine(parts: Buffer[]): void {
    const head = Buffer.concat(parts.slice(0, DATA_PREFIX.length)).subarray(0, DATA_PREFIX.length);
    if (head.equals(DATA_PREFIX)) this.dataLost = true;
    this.skippingLine = true;
    this.lineParts = [];
    this.lineBytes = 0;
    this.firstLine = false;
  }

  /** The rest of a line, up to (not including) its line end. */
  private endLine(piece: Buffer): void {
    if (!this.skippingLine && this.lineBytes + piece.length > this.maxLineBytes) {
      this.skipLine([...this.lineParts, piece]);
    }
    if (this.skippingLine) {
      this.skippingLine = false;
      return;
    }
    const bytes = this.lineParts.length === 0 ? piece : Buffer.concat([...this.lineParts, piece]);
    this.lineParts = [];
    this.lineBytes = 0;
    let line = bytes.toString('utf8');
    if (this.firstLine) {
      this.firstLine = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    this.processLine(line);
  }

  private processLine(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' comment */) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (name === 'data') {
      if (this.dataLost) return;
      this.dataLength += value.length + 1;
      if (this.dataLength > this.maxLineBytes) {
        this.dataLost = true;
        this.dataParts = [];
        return;
      }
      this.dataParts.push(value);
    } else if (name === 'event') {
      this.eventType = value;
    }
  }

  private dispatch(): void {
    const type = this.eventType;
    const hasData = this.dataParts.length > 0 || this.dataLost;
    const data = this.dataLost ? undefined : this.dataParts.join('\n');
    this.eventType = '';
    this.dataParts = [];
    this.dataLength = 0;
    this.dataLost = false;
    if (!hasData) return;

    this.eventCount += 1;
    if (type === 'message_stop' || RESPONSES_TERMINAL.has(type)) this.seenEnd = true;
    if (data === undefined) return;
    const trimmed = data.trim();
    if (trimmed === '[DONE]') {
      this.seenEnd = true;
      return;
    }
    const first = trimmed.charCodeAt(0);
    if ((first !== 0x7b /* { */ && first !== 0x5b) /* [ */ || !INTERESTING.test(trimmed)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return;
    }
    if (Array.isArray(parsed)) for (const item of parsed) this.observe(item);
    else this.observe(parsed);
  }

  private observe(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const obj = value as Record<string, unknown>;
    const type = Object.hasOwn(obj, 'type') ? obj.type : undefined;
    if (type === 'message_stop' || (typeof type === 'string' && RESPONSES_TERMINAL.has(type))) this.seenEnd = true;
    if (hasGeminiFinish(obj)) this.seenEnd = true;
    this.usage = mergeUsage(this.usage, usageFromObject(value));
  }
}

/** A Gemini frame with a candidate carrying a finishReason (the stream's last frame). */
function hasGeminiFinish(obj: Record<string, unknown>): boolean {
  const candidates = Object.hasOwn(obj, 'candidates') ? obj.candidates : undefined;
  if (!Array.isArray(candidates)) return false;
  return candidates.some((candidate: unknown) => {
    if (typeof candidate !== 'object' || candidate === null) return false;
    const reason = (candidate as Record<string, unknown>).finishReason;
    return typeof reason === 'string' && reason !== '' && reason !== 'FINISH_REASON_UNSPECIFIED';
  });
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
