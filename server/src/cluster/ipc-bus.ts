import { parseClusterMessage, type ClusterBus, type ClusterMessage } from './bus.js';
import { isIpcMessage, sendToPrimary } from './ipc.js';

/**
 * The bus between workers of one host when there is no Redis: a worker sends to the primary,
 * which passes the message on to every other worker.
 */
export class IpcBus implements ClusterBus {
  private readonly handlers: Array<(message: ClusterMessage) => void> = [];
  private readonly onMessage = (raw: unknown) => {
    if (!isIpcMessage(raw) || raw.ga !== 'bus') return;
    const message = parseClusterMessage(raw.message);
    if (message) for (const handler of this.handlers) handler(message);
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  publish(message: ClusterMessage): void {
    void sendToPrimary({ ga: 'bus', message });
  }

  subscribe(handler: (message: ClusterMessage) => void): void {
    this.handlers.push(handler);
  }

  close(): Promise<void> {
    process.off('message', this.onMessage);
    return Promise.resolve();
  }
}
