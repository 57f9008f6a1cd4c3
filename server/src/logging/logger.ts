import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger, type StreamEntry } from 'pino';
import type { LogLevel } from '../config/config.js';

export interface LoggerOptions {
  level: LogLevel;
  logDir?: string | undefined;
  /** Tests pass a stream to read what was logged. */
  stream?: NodeJS.WritableStream;
}

/** Header and field names whose values are credentials; they are censored wherever they appear. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
  'res.headers["set-cookie"]',
  // pino has no recursive wildcard: each credential field is censored at the top and two levels down.
  ...['password', 'original_password', 'access_token', 'sk_key', 'key'].flatMap((field) => [
    field,
    `*.${field}`,
    `*.*.${field}`,
  ]),
];

/** `?key=ag-…` is how Gemini clients send their token; it must not reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|api_key|token)=)[^&#]*/gi, '$1[REDACTED]');
}

/**
 * Drivers attach the failing SQL, with its values inlined, to their errors; the values can be
 * password hashes or keys. Only the type, message, code and stack are logged.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(errno === undefined ? {} : { errno }),
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: serializeError(error.cause) }),
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const streams: StreamEntry[] = [
    { level: options.level === 'silent' ? 'fatal' : options.level, stream: options.stream ?? process.stdout },
  ];
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
    streams.push({
      level: options.level === 'silent' ? 'fatal' : options.level,
      stream: pino.destination({ dest: path.join(options.logDir, 'gateway-aggregator.log'), mkdir: true, sync: false }),
    });
    streams.push({
      level: 'error',
      stream: pino.destination({ dest: path.join(options.logDir, 'error.log'), mkdir: true, sync: false }),
    });
  }
  return pino(
    {
      level: options.level,
      redact: { paths: SECRET_PATHS, censor: '[REDACTED]' },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: req.method,
          url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
        err: serializeError,
      },
    },
    pino.multistream(streams),
  );
}
