import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config/config.js';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import type { UsageRecord } from '../domain/usage-record.js';
import { AggTokensRepo } from '../repos/agg-tokens.js';
import { UsageLogsRepo } from '../repos/usage-logs.js';
import { TokenAccessClock } from '../services/token-access.js';
import { UsageWriter } from '../services/usage-writer.js';
import { isIpcMessage } from './ipc.js';

/** A pause before replacing a crashed worker, so a crash on every request cannot spin the CPU. */
const RESTART_DELAY_MS = 1000;

/**
 * The cluster primary: migrates once, forks the workers that serve on the shared port, restarts
 * one that crashes, passes bus messages between them and, on SQLite, writes every worker's usage
 * records itself. On SIGTERM it lets each worker drain, then flushes what it still holds.
 */
export async function runPrimary(config: Config, logger: FastifyBaseLogger): Promise<void> {
  const db = createDatabase(config.database, (error) => logger.warn({ err: error }, 'idle database connection lost'));
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  const accessClock = new TokenAccessClock(new AggTokensRepo(db), logger);
  const writer =
    config.database.driver === 'sqlite'
      ? new UsageWriter(new UsageLogsRepo(db), logger, {}, (rows) => accessClock.recordBatch(rows))
      : await closed(db);
  const primary = new Primary(config, logger, writer);
  primary.start();
  const stop = (signal: string) => {
    logger.info(`${signal} received; stopping ${config.workers} workers`);
    void primary.stop().then(async (code) => {
      await writer?.close();
      await db.destroy();
      process.exit(code);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function closed(db: Kysely<Database>): Promise<undefined> {
  await db.destroy();
  return undefined;
}

class Primary {
  private stopping = false;
  private exitCode = 0;
  private readonly listening = new WeakSet<Worker>();
  private allExited: (() => void) | undefined;
  private readonly aggregator = new AggregatorRegistry();

  constructor(
    private readonly config: Config,
    private readonly logger: FastifyBaseLogger,
    private readonly writer: UsageWriter | undefined,
  ) {}

  start(): void {
    cluster.on('listening', (worker) => this.listening.add(worker));
    cluster.on('message', (worker, message: unknown) => this.onMessage(worker, message));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    for (let i = 0; i < this.config.workers; i++) cluster.fork();
    this.logger.info(`started ${this.config.workers} workers on port ${this.config.port}`);
  }

  /** Resolves with the exit code once every worker is gone; a worker still busy past the bound is killed. */
  stop(): Promise<number> {
    this.stopping = true;
    const workers = this.workers();
    if (workers.length === 0) return Promise.resolve(this.exitCode);
    const done = new Promise<void>((resolve) => (this.allExited = resolve));
    for (const worker of workers) worker.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const worker of this.workers()) worker.process.kill('SIGKILL');
    }, this.config.shutdownTimeoutMs + 5000).unref();
    return done.then(() => {
      clearTimeout(killer);
      return this.exitCode;
    });
  }

  private workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  }

  private onMessage(from: Worker, message: unknown): void {
    if (!isIpcMessage(message)) return;
    if (message.ga === 'bus') {
      for (const worker of this.workers()) if (worker !== from && worker.isConnected()) worker.send(message);
    } else if (message.ga === 'usage' && this.writer) {
      for (const row of message.rows) this.writer.record(row as UsageRecord);
    } else if (message.ga === 'metrics') {
      const { id } = message;
      this.aggregator.clusterMetrics().then(
        (text) => from.isConnected() && from.send({ ga: 'metrics-text', id, text }),
        (error: unknown) => from.isConnected() && from.send({ ga: 'metrics-text', id, error: String(error) }),
      );
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    if (this.stopping) {
      if (this.workers().length === 0) this.allExited?.();
      return;
    }
    if (!this.listening.has(worker)) {
      // It never served: the same cause (a taken port, a bad database) would stop every retry too.
      this.logger.fatal(`a worker failed to start (exit ${code ?? signal}); stopping`);
      this.exitCode = 1;
      void this.stop().then((exit) => process.exit(exit));
      return;
    }
    this.logger.error(`worker ${worker.process.pid} died (exit ${code ?? signal}); starting another`);
    setTimeout(() => {
      if (!this.stopping) cluster.fork();
    }, RESTART_DELAY_MS).unref();
  }
}
