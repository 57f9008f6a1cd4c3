import type { IncomingMessage, ServerResponse } from 'node:http';

/** A NewAPI token (API key) row as `/api/token/*` exposes it (model/token.go `Token`). */
export interface FakeToken {
  id: number;
  /** 48 chars of [0-9a-zA-Z], stored without `sk-`. */
  key: string;
  name: string;
  /** '' = the user's group. */
  group: string;
  /** 1 enabled, 2 disabled, 3 expired, 4 exhausted. */
  status: number;
  /** Unix seconds; -1 = never. */
  expired_time: number;
  remain_quota: number;
  used_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  /** Comma-separated model names. */
  model_limits: string;
}

/** One `/api/pricing` item (model/pricing.go `Pricing`), reduced to what the fake needs. */
export interface FakeModel {
  model_name: string;
  /** 0 = per-token ratio pricing, 1 = fixed price per request. */
  quota_type: 0 | 1;
  model_ratio: number;
  completion_ratio: number;
  /** USD per request (quota_type 1). */
  model_price: number;
  enable_groups: string[];
  supported_endpoint_types: string[];
}

export type FakeFault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'envelope-error'; message: string }
  | { kind: 'malformed' }
  | { kind: 'empty-json' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'stream-cut'; afterChunks: number }
  | { kind: 'stream-stall'; afterChunks: number }
  | { kind: 'stream-malformed'; atChunk: number }
  | { kind: 'stream-no-done' };

export type StreamFault = Extract<FakeFault, { kind: `stream-${string}` }>;

export interface FaultRule {
  /** Case-insensitive; any method when omitted. */
  method?: string;
  /** Matched against the pathname only (no query): exact string, or a RegExp tested against it. */
  path: string | RegExp;
  fault: FakeFault;
  /** Apply this many times, then drop the rule. Default: forever. */
  times?: number;
}

export interface FakeNewApiOptions {
  userId?: number;
  accessToken?: string;
  username?: string;
  /** Remaining quota units (500000 = $1). */
  quota?: number;
  usedQuota?: number;
  group?: string;
  /** `/api/status` quota_per_unit; null = omit the key. */
  quotaPerUnit?: number | null;
  models?: FakeModel[];
  groupRatio?: Record<string, number>;
  tokens?: FakeToken[];
  tokenListStyle?: 'paged' | 'legacy-array';
  maskKeys?: boolean;
  checkin?: 'enabled' | 'disabled' | 'absent';
  /** Extension: quota awarded by a successful check-in (upstream draws it at random). Default 5000. */
  checkinQuota?: number;
  latencyMs?: number;
  streamChunks?: number;
  streamIntervalMs?: number;
  /** Extension: gzip non-streaming relay JSON answers when the caller accepts gzip (as NewAPI behind a compressing proxy does). */
  gzipJson?: boolean;
  version?: string;
}

export interface FakeCheckinRecord {
  /** Local date YYYY-MM-DD. */
  checkin_date: string;
  quota_awarded: number;
}

/** The live state: every option resolved, plus counters the fake keeps. Tests may mutate it. */
export type FakeNewApiState = Required<FakeNewApiOptions> & {
  /** Successful relay calls (GET /api/user/self `request_count`). */
  requestCount: number;
  /** Check-in history; push a record with today's date to simulate an earlier check-in. */
  checkins: FakeCheckinRecord[];
};

export interface RecordedRequest {
  method: string;
  /** Pathname, no query. */
  path: string;
  query: Record<string, string>;
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received (nothing is decompressed). */
  body: Buffer;
  at: number;
  /** Extension: the X-Oneapi-Request-Id sent back (also in relay error messages). */
  requestId: string;
  /** Extension: the caller closed the connection before the answer was complete. */
  clientAborted: boolean;
}

/** Per-request context handed to the route handlers. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  url: URL;
  body: Buffer;
  requestId: string;
  state: FakeNewApiState;
  /** The stream fault that matched this request, if any (applies to SSE answers). */
  streamFault: StreamFault | undefined;
  /** Resolves after ms, or at once when the server closes. */
  wait(ms: number): Promise<void>;
  closed(): boolean;
  startTime: number;
  baseUrl: string;
}

/** A route handler. */
export type Handler = (ctx: Ctx) => void | Promise<void>;
