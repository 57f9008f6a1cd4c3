import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './lazy-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('lazyChildLogger', () => {
  it('writes what a child would, with its bindings', async () => {
    const { logger, lines } = capture('info');
    const child = lazyChildLogger(logger, { reqId: 'r1' }, {});
    child.info({ a: 1 }, 'hello');
    child.error('%s failed', 'x');
    child.debug('not at info');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map(({ reqId, msg, a, level }) => ({ reqId, msg, a, level }))).toEqual([
      { reqId: 'r1', msg: 'hello', a: 1, level: 30 },
      { reqId: 'r1', msg: 'x failed', a: undefined, level: 50 },
    ]);
    expect(child.level).toBe('info');
  });

  it('makes no child while nothing is written', () => {
    const { logger } = capture('warn');
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    const lazy = lazyChildLogger(logger, { reqId: 'r2' }, {});
    lazy.info('dropped');
    lazy.debug('dropped');
    expect(children).toBe(0);
    lazy.warn('kept');
    lazy.warn('kept again');
    expect(children).toBe(1);
  });

  it('defers to a real child when the route sets its own level', () => {
    const { logger } = capture('warn');
    const child = lazyChildLogger(logger, { reqId: 'r3' }, { level: 'debug' });
    expect(child.level).toBe('debug');
  });
});
