import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

/** HTTP content codings undone by the usage tap (a copy of the bytes; the client gets the originals). */
export type Coding = 'gzip' | 'deflate' | 'br';

/**
 * The content codings to undo, in the order to undo them (the reverse of the header's), or
 * undefined when one is unknown.
 */
export function parseCodings(header: string | undefined): Coding[] | undefined {
  const codings: Coding[] = [];
  for (const raw of (header ?? '').split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') codings.push('gzip');
    else if (name === 'deflate') codings.push('deflate');
    else if (name === 'br') codings.push('br');
    else return undefined;
  }
  return codings.reverse();
}

/** One decompression step on a node:zlib stream. Reports each output chunk and the outcome once. */
export class Decoder {
  private stream: Transform | undefined;
  /** deflate only: the first bytes, kept until we know whether the data is zlib-wrapped. */
  private head: Buffer | undefined;
  private closed = false;

  constructor(
    coding: Coding,
    private readonly onData: (chunk: Buffer) => void,
    private readonly onDone: (ok: boolean) => void,
  ) {
    if (coding === 'gzip') this.stream = this.open(zlib.createGunzip());
    else if (coding === 'br') this.stream = this.open(zlib.createBrotliDecompress());
  }

  write(chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return;
    let input = chunk;
    if (this.stream === undefined) {
      // HTTP "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate.
      this.head = this.head === undefined ? chunk : Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return;
      const cmf = this.head[0]!;
      const flg = this.head[1]!;
      const wrapped = (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
      this.stream = this.open(wrapped ? zlib.createInflate() : zlib.createInflateRaw());
      input = this.head;
      this.head = undefined;
    }
    if (!this.stream.destroyed) this.stream.write(input);
  }

  end(): void {
    if (this.closed) return;
    if (this.stream === undefined) {
      this.stream = this.open(zlib.createInflate());
      if (this.head !== undefined) this.stream.write(this.head);
      this.head = undefined;
    }
    this.stream.end();
  }

  /** Stops decompressing without reporting an outcome. */
  destroy(): void {
    this.closed = true;
    this.head = undefined;
    this.stream?.destroy();
  }

  private open(stream: Transform): Transform {
    stream.on('data', (chunk: Buffer) => {
      if (!this.closed) this.onData(chunk);
    });
    stream.on('end', () => this.finish(true));
    stream.on('error', () => this.finish(false));
    stream.on('close', () => this.finish(false)); // after 'end' this is a no-op
    return stream;
  }

  private finish(ok: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.onDone(ok);
  }
}
