import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, CommonJS run with `eval` so that it needs no build step of its own: one
 * better-sqlite3 connection to the gateway's database file, the usage insert prepared once, and
 * one transaction per batch, so a batch lands whole or not at all. It waits for a lock held by the
 * main connection on its own thread (busy timeout), never on the event loop's.
 */
const THREAD_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
const width = workerData.width;
let insert;
const write = db.transaction((values) => {
  insert = insert || db.prepare(workerData.sql);
  for (let i = 0; i < values.length; i += width) insert.run(values.slice(i, i + width));
});
parentPort.on('message', (message) => {
  try {
    write(JSON.parse(message.json));
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    insert = undefined; // prepared again next time: the table may have changed under it
    parentPort.postMessage({ id: message.id, error: String(error && error.message), code: error && error.code });
  }
});
`;

interface Reply {
  id: number;
  error?: string;
  code?: string;
}

export interface WriterThreadOptions {
  /** The database file (a second connection to it: WAL lets it write while the main one reads). */
  path: string;
  /** The single-row insert. */
  sql: string;
  /** Values per row. */
  width: number;
  busyTimeoutMs: number;
}

/**
 * Usage inserts on a thread of their own. On the event loop they cost ≈ 8 µs a row, in slices
 * that every request arriving meanwhile waits for; here the loop only serialises the batch (one
 * JSON string, ≈ 1 µs a row: structured cloning of the rows cost twice that). Started on the first
 * batch; `failed` once the thread could not start or died, for the caller to write in-thread.
 */
export class UsageWriterThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  failed = false;

  constructor(private readonly options: WriterThreadOptions) {}

  /** Writes rows given as one flat array of `width` values per row. */
  insert(values: unknown[]): Promise<void> {
    const worker = this.started();
    const id = this.nextId++;
    const json = JSON.stringify(values);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A batch in progress keeps the process alive: at shutdown the last one must land.
      worker.ref();
      worker.postMessage({ id, json });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.fail(new Error('the usage writer thread was closed'));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { ...this.options, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.on('message', (reply: Reply) => this.settle(reply));
    const die = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failed = true;
      this.fail(error);
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`the usage writer thread exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (!waiting) return;
    if (reply.error === undefined) waiting.resolve();
    else waiting.reject(Object.assign(new Error(reply.error), { code: reply.code }));
  }

  private fail(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
