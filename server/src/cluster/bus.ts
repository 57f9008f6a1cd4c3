import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { HealthChange } from '../domain/route-health.js';

/** The snapshots a process rebuilds when another process changes what they mirror. */
export type ChangeTopic = 'routes' | 'tokens' | 'options';

export type ClusterEvent =
  { type: 'changed'; topic: ChangeTopic; mark: string } | { type: 'health'; change: HealthChange };

/** An event with the process that sent it, so a process can skip its own. */
export type ClusterMessage = ClusterEvent & { origin: string };

/**
 * How processes tell each other what changed: Redis pub/sub across hosts, the cluster primary
 * between workers of one host. Delivery is best effort; the database version check covers losses.
 */
export interface ClusterBus {
  publish(message: ClusterMessage): void;
  subscribe(handler: (message: ClusterMessage) => void): void;
  close(): Promise<void>;
}

/** A single process has nobody to tell. */
export class SilentBus implements ClusterBus {
  publish(): void {}
  subscribe(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** This process's name among its peers: readable in logs, unique across restarts. */
export function processIdentity(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

const TOPICS: readonly string[] = ['routes', 'tokens', 'options'];
const SCOPES: readonly string[] = ['route', 'token', 'all'];

/** Peers are trusted, but a message is still checked before it can touch a snapshot. */
export function parseClusterMessage(value: unknown): ClusterMessage | undefined {
  const message = value as Partial<ClusterMessage> | null;
  if (typeof message?.origin !== 'string') return undefined;
  if (message.type === 'changed') {
    return TOPICS.includes(message.topic as string) && typeof message.mark === 'string'
      ? (message as ClusterMessage)
      : undefined;
  }
  if (message.type === 'health') {
    const change = message.change as Partial<HealthChange> | undefined;
    return change && SCOPES.includes(change.scope as string) && typeof change.id === 'number'
      ? (message as ClusterMessage)
      : undefined;
  }
  return undefined;
}
