import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

interface LevelAware {
  isLevelEnabled?: (level: string) => boolean;
}

/**
 * The request logger for relay routes: Fastify makes a pino child per request, and making one
 * (its bindings serialised through the redaction) cost about 2 % of a relayed call although at the
 * usual levels a relayed call logs nothing. This one makes the real child on the first line that
 * would be written, so what is logged, and with which bindings, does not change.
 */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const levelAware = typeof (logger as LevelAware).isLevelEnabled === 'function';
  // A route with its own level or serializers, or a logger that cannot say what it would drop: no shortcut.
  if (!levelAware || options.level !== undefined || options.serializers !== undefined) {
    return logger.child(bindings, options);
  }
  return new LazyChildLogger(logger, bindings, options);
}

class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    if (this.made === undefined && !(this.parent as LevelAware).isLevelEnabled!(level)) return;
    const logger = this.real();
    // Reached only when a line is written, so the bound copy costs nothing on the quiet path.
    const log: (...rest: unknown[]) => void = logger[level].bind(logger);
    log(...args);
  }

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}
