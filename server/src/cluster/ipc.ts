/** What workers and the cluster primary say to each other over the IPC channel node:cluster opens. */
export type IpcMessage =
  | { ga: 'bus'; message: unknown }
  | { ga: 'usage'; rows: unknown[] }
  | { ga: 'metrics'; id: number }
  | { ga: 'metrics-text'; id: number; text?: string; error?: string };

export function isIpcMessage(value: unknown): value is IpcMessage {
  const ga = (value as { ga?: unknown } | null)?.ga;
  return ga === 'bus' || ga === 'usage' || ga === 'metrics' || ga === 'metrics-text';
}

/** Sends to the primary and resolves once the message has left this process. */
export function sendToPrimary(message: IpcMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}
