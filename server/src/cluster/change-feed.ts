import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ClusterBus, ChangeTopic } from './bus.js';

export interface ChangeMarks {
  setMark(name: string, value: string, nowMs: number): Promise<void>;
  marksStartingWith(prefix: string): Promise<Map<string, string>>;
}

export interface ChangeFeedDeps {
  marks: ChangeMarks;
  bus: ClusterBus;
  origin: string;
  /** Rebuilds what mirrors a topic in this process. */
  rebuild: Record<ChangeTopic, () => Promise<void>>;
  checkIntervalMs: number;
  logger: FastifyBaseLogger;
}

const PREFIX = 'change:';
const TOPICS: readonly ChangeTopic[] = ['routes', 'tokens', 'options'];

/**
 * Keeps every process's snapshots in step. A change rebuilds here at once, then leaves a new
 * random mark in the database and tells the peers over the bus; a peer that missed the message
 * (Redis down, a restart) sees a mark it has not seen at its next periodic check and rebuilds.
 */
export class ChangeFeed {
  private readonly seen = new Map<ChangeTopic, string>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(private readonly deps: ChangeFeedDeps) {}

  /** Learns the current marks (the snapshots were just built from the same data) and starts listening. */
  async start(): Promise<void> {
    await this.readMarks().then((marks) => {
      for (const [topic, mark] of marks) this.seen.set(topic, mark);
    });
    this.deps.bus.subscribe((message) => {
      if (message.type !== 'changed' || message.origin === this.deps.origin) return;
      if (this.seen.get(message.topic) === message.mark) return;
      this.seen.set(message.topic, message.mark);
      this.rebuildQuietly(message.topic);
    });
    this.timer = setInterval(() => void this.check(), this.deps.checkIntervalMs).unref();
  }

  /**
   * Called after a change is committed. The local rebuild's failure is the caller's (the change
   * is not visible here yet); failing to tell the peers is only logged, the check covers it.
   */
  async announce(topic: ChangeTopic): Promise<void> {
    await this.deps.rebuild[topic]();
    await this.tellPeers(topic);
  }

  /** For a change this process has already applied to itself. */
  async tellPeers(topic: ChangeTopic): Promise<void> {
    const mark = randomBytes(8).toString('hex');
    this.seen.set(topic, mark);
    this.deps.bus.publish({ type: 'changed', topic, mark, origin: this.deps.origin });
    await this.deps.marks.setMark(PREFIX + topic, mark, Date.now()).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, topic }, 'cannot record a change in the database');
    });
  }

  /** Rebuilds whatever changed since the last look; safe to call at any time. */
  check(): Promise<void> {
    this.checking ??= this.compareWithDatabase().finally(() => (this.checking = undefined));
    return this.checking;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async compareWithDatabase(): Promise<void> {
    let marks: Map<ChangeTopic, string>;
    try {
      marks = await this.readMarks();
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'change check skipped: the database did not answer');
      return;
    }
    for (const [topic, mark] of marks) {
      if (this.seen.get(topic) === mark) continue;
      try {
        await this.deps.rebuild[topic]();
        this.seen.set(topic, mark);
      } catch (error) {
        this.deps.logger.warn({ err: error, topic }, 'rebuilding after a change failed; will retry');
      }
    }
  }

  private async readMarks(): Promise<Map<ChangeTopic, string>> {
    const stored = await this.deps.marks.marksStartingWith(PREFIX);
    const marks = new Map<ChangeTopic, string>();
    for (const topic of TOPICS) {
      const mark = stored.get(PREFIX + topic);
      if (mark !== undefined) marks.set(topic, mark);
    }
    return marks;
  }

  private rebuildQuietly(topic: ChangeTopic): void {
    this.deps.rebuild[topic]().catch((error: unknown) => {
      // Forget the mark, so the periodic check tries again.
      this.seen.delete(topic);
      this.deps.logger.warn({ err: error, topic }, 'rebuilding after a change failed; will retry');
    });
  }
}
