import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { parseClusterMessage, type ClusterBus, type ClusterMessage } from './bus.js';

/**
 * Pub/sub over Redis. Subscribing takes a connection of its own (a subscribed connection can do
 * nothing else); ioredis re-subscribes by itself after a reconnect, and what was published in
 * between is caught up by the database version check.
 */
export class RedisBus implements ClusterBus {
  private readonly handlers: Array<(message: ClusterMessage) => void> = [];
  private warned = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly logger: FastifyBaseLogger,
  ) {
    subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      const message = safeParse(text);
      if (message) for (const handler of this.handlers) handler(message);
    });
  }

  static async open(redis: Redis, keyPrefix: string, logger: FastifyBaseLogger): Promise<RedisBus> {
    const subscriber = redis.duplicate();
    subscriber.on('error', (error: Error) => logger.debug({ err: error }, 'redis subscriber connection error'));
    const channel = `${keyPrefix}cluster`;
    await subscriber.subscribe(channel);
    return new RedisBus(redis, subscriber, channel, logger);
  }

  publish(message: ClusterMessage): void {
    this.publisher.publish(this.channel, JSON.stringify(message)).then(
      () => (this.warned = false),
      (error: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.logger.warn({ err: error }, 'cannot announce a change over Redis; peers will see it at their next check');
      },
    );
  }

  subscribe(handler: (message: ClusterMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}

function safeParse(text: string): ClusterMessage | undefined {
  try {
    return parseClusterMessage(JSON.parse(text));
  } catch {
    return undefined;
  }
}
