import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

/** A logger writing into an array of lines. */
function capture(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, stream }), lines, text: () => lines.join('\n') };
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

const SECRETS = ['sk-secret', 'cookie-secret', 'xkey-secret', 'goog-secret', 'setcookie-secret', 'qs-secret'];

describe('redactUrl', () => {
  it.each([
    ['/v1beta/models/gemini:generateContent?key=AIza-secret', '/v1beta/models/gemini:generateContent?key=[REDACTED]'],
    ['/x?alt=sse&key=AIza-secret', '/x?alt=sse&key=[REDACTED]'],
    ['/x?api_key=secret&alt=sse', '/x?api_key=[REDACTED]&alt=sse'],
    ['/x?token=secret#frag', '/x?token=[REDACTED]#frag'],
    ['/x?KEY=secret&Token=other', '/x?KEY=[REDACTED]&Token=[REDACTED]'],
    ['/x?key=', '/x?key=[REDACTED]'],
  ])('hides the credential in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each(['/x?monkey=1&keys=2', '/key=1/path', '/api/status', '/x?alt=sse'])('leaves %s alone', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});

describe('createLogger redaction', () => {
  it('never writes credential headers of a logged request', () => {
    const { logger, lines, text } = capture();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/v1beta/models/x:generateContent?key=qs-secret',
          ip: '10.0.0.1',
          headers: {
            authorization: 'Bearer sk-secret',
            cookie: 'session=cookie-secret',
            'x-api-key': 'xkey-secret',
            'x-goog-api-key': 'goog-secret',
          },
        },
        res: { statusCode: 200, headers: { 'set-cookie': 'session=setcookie-secret' } },
      },
      'request completed',
    );
    expect(lines).toHaveLength(1);
    for (const secret of SECRETS) expect(text()).not.toContain(secret);
    // The useful parts are still there.
    const line = JSON.parse(lines[0]!) as { req: { method: string; url: string; remoteAddress: string } };
    expect(line.req).toMatchObject({ method: 'POST', remoteAddress: '10.0.0.1' });
    expect(line.req.url).toBe('/v1beta/models/x:generateContent?key=[REDACTED]');
  });

  it('censors credential fields one level down', () => {
    const { logger, lines, text } = capture();
    logger.info(
      { body: { username: 'root', password: 'hunter22', access_token: 'at-secret', sk_key: 'sk-key-secret' } },
      'x',
    );
    logger.info({ channel: { key: 'channel-key-secret', name: 'upstream' } }, 'y');
    for (const secret of ['hunter22', 'at-secret', 'sk-key-secret', 'channel-key-secret']) {
      expect(text()).not.toContain(secret);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ body: { username: 'root', password: '[REDACTED]' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ channel: { key: '[REDACTED]', name: 'upstream' } });
  });

  it('keeps secrets out of what Fastify logs for a real request, at debug level', async () => {
    const { logger, text } = capture('debug');
    const app = Fastify({ loggerInstance: logger });
    app.post('/v1/chat/completions', async (request, reply) => {
      request.log.debug({ body: request.body }, 'body received');
      void reply.header('set-cookie', 'session=setcookie-secret');
      throw new Error('upstream failed');
    });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions?key=qs-secret',
        headers: {
          authorization: 'Bearer sk-secret',
          cookie: 'session=cookie-secret',
          'x-api-key': 'xkey-secret',
          'x-goog-api-key': 'goog-secret',
        },
        payload: { password: 'hunter22', model: 'gpt' },
      });
      expect(response.statusCode).toBe(500);
    } finally {
      await app.close();
    }
    expect(text()).toContain('upstream failed');
    expect(text()).toContain('body received');
    for (const secret of [...SECRETS, 'hunter22']) expect(text()).not.toContain(secret);
  });

  it('censors credential fields at the top level of a log object', () => {
    const { logger, text } = capture();
    logger.info({ password: 'hunter22', access_token: 'at-secret', sk_key: 'sk-key-secret' }, 'x');
    expect(text()).toContain('"msg":"x"');
    for (const secret of ['hunter22', 'at-secret', 'sk-key-secret']) expect(text()).not.toContain(secret);
  });

  it('censors credential fields nested deeper than one level', () => {
    const { logger, text } = capture();
    logger.info({ body: { user: { password: 'hunter22' } } }, 'x');
    expect(text()).toContain('"msg":"x"');
    expect(text()).not.toContain('hunter22');
  });

  it('logs a req object that has headers but no url instead of throwing', () => {
    const { logger, text } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer sk-secret' } } }, 'x');
    expect(text()).toContain('"msg":"x"');
    expect(text()).not.toContain('sk-secret');
  });
});

describe('createLogger with a log directory', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** pino's file destinations are asynchronous: flush and wait until the file holds `text`. */
  async function waitForFile(logger: Logger, file: string, text: string): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      logger.flush();
      const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (content.includes(text)) return content;
      if (Date.now() > deadline) throw new Error(`${file} never contained ${text}; it holds: ${content}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('writes every line to gateway-aggregator.log and errors also to error.log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ga-logger-'));
    dirs.push(dir);
    const logDir = path.join(dir, 'nested', 'logs');
    const fileLogger = createLogger({ level: 'info', logDir, stream: discard() });

    fileLogger.debug('below the level');
    fileLogger.info({ req: { method: 'GET', url: '/x', headers: { authorization: 'Bearer sk-secret' } } }, 'info line');
    fileLogger.warn('warn line');
    fileLogger.error({ err: new Error('kaboom') }, 'error line');

    const main = await waitForFile(fileLogger, path.join(logDir, 'gateway-aggregator.log'), 'error line');
    const errors = await waitForFile(fileLogger, path.join(logDir, 'error.log'), 'error line');

    expect(main).toContain('info line');
    expect(main).toContain('warn line');
    expect(main).not.toContain('below the level');
    expect(main).not.toContain('sk-secret');
    expect(
      main
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toHaveLength(3);

    expect(errors).toContain('kaboom');
    expect(errors).not.toContain('info line');
    expect(errors).not.toContain('warn line');
  });

  it('honours the level in the main file too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ga-logger-'));
    dirs.push(dir);
    const fileLogger = createLogger({ level: 'warn', logDir: dir, stream: discard() });
    fileLogger.info('info line');
    fileLogger.warn('warn line');
    const main = await waitForFile(fileLogger, path.join(dir, 'gateway-aggregator.log'), 'warn line');
    expect(main).not.toContain('info line');
  });
});
