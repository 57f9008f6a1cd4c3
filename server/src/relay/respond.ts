import type { ServerResponse } from 'node:http';
import type { ErrorFormat } from '../domain/relay-endpoints.js';
import { relayErrorBody, type RelayError } from './errors.js';

/** Answers with one of the relay's own errors (the response was hijacked from Fastify). */
export function sendRelayError(res: ServerResponse, format: ErrorFormat, error: RelayError): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(relayErrorBody(format, error));
  res.writeHead(error.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Waits until the client can take more, or is gone. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export function firstHeader(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
