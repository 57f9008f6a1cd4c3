import type { Dispatcher } from 'undici';
import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config/config.js';
import type { ClientKey } from '../domain/header-rules.js';
import type { RelayEndpoint } from '../domain/relay-endpoints.js';
import type { RelayToken, TokenIndex } from '../domain/relay-tokens.js';
import type { RouteTable } from '../domain/route-table.js';
import type { RouteHealth } from '../domain/route-health.js';
import type { UsageSink } from '../domain/usage-record.js';

/** What the relay runs on: snapshots to read, a sink to write to, and the upstream connection pool. */
export interface RelayDeps {
  tokens: () => TokenIndex;
  routes: () => RouteTable;
  retryTimes: () => number;
  sink: UsageSink;
  dispatcher: Dispatcher;
  config: RelayConfig;
  /** Unix seconds. */
  now: () => number;
  /** Epoch milliseconds, for route health. */
  nowMs: () => number;
  health: RouteHealth;
  random: () => number;
  logger: FastifyBaseLogger;
  /** Told when a request or an SSE answer starts (+1) and ends (-1). */
  inFlight: { requests: (delta: 1 | -1) => void; streams: (delta: 1 | -1) => void };
}

/** One client request, as the attempts see it. */
export interface RelayRequest {
  requestId: string;
  endpoint: RelayEndpoint;
  method: string;
  /** Path without the query. */
  path: string;
  /** Query without the `?`. */
  query: string;
  rawHeaders: readonly string[];
  body: Buffer;
  clientKey: ClientKey;
  token: RelayToken;
  model: string;
  clientIp: string;
  userAgent: string;
  /** performance.now() at arrival. */
  startedAt: number;
  createdAt: number;
}
