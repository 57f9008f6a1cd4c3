import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fakeModel, fakeToken } from './factories.js';
import { localDate, makeRequestId, notFound, sendJson, sendRaw } from './http.js';
import { authorize, matchManagement } from './management.js';
import { matchRelay, wantsStream } from './relay.js';
import type {
  Ctx,
  FakeFault,
  FakeNewApiOptions,
  FakeNewApiState,
  FaultRule,
  RecordedRequest,
  StreamFault,
} from './types.js';

/** The pricing list when `models` is not given. */
export function defaultModels() {
  return [
    fakeModel('gpt-4o-mini', { model_ratio: 0.075, completion_ratio: 4 }),
    fakeModel('gpt-4o', {
      model_ratio: 1.25,
      completion_ratio: 4,
      supported_endpoint_types: ['openai', 'openai-response'],
    }),
    fakeModel('claude-sonnet-4-20250514', {
      model_ratio: 1.5,
      completion_ratio: 5,
      supported_endpoint_types: ['anthropic', 'openai'],
    }),
    fakeModel('gemini-2.5-flash', {
      model_ratio: 0.15,
      completion_ratio: 8.33,
      supported_endpoint_types: ['gemini', 'openai'],
    }),
    fakeModel('text-embedding-3-small', { model_ratio: 0.01, supported_endpoint_types: ['embeddings'] }),
    fakeModel('whisper-1', { quota_type: 1, model_price: 0.006 }),
    fakeModel('tts-1', { quota_type: 1, model_price: 0.015 }),
    fakeModel('dall-e-3', { quota_type: 1, model_price: 0.04, supported_endpoint_types: ['image-generation'] }),
  ];
}

function resolveState(options: FakeNewApiOptions): FakeNewApiState {
  return {
    userId: 1,
    accessToken: 'fake-access-token',
    username: 'fake-user',
    quota: 5_000_000,
    usedQuota: 0,
    group: 'default',
    quotaPerUnit: 500_000,
    models: defaultModels(),
    groupRatio: { default: 1 },
    tokens: [fakeToken({ id: 1 })],
    tokenListStyle: 'paged',
    maskKeys: true,
    checkin: 'enabled',
    checkinQuota: 5000,
    latencyMs: 0,
    streamChunks: 5,
    streamIntervalMs: 0,
    gzipJson: false,
    version: 'v1.0.0-rc.21',
    requestCount: 0,
    checkins: [],
    ...definedCopy(options),
  };
}

/** The keys of `patch` that are not undefined, deep-copied (so shared fixtures are never mutated). */
function definedCopy(patch: FakeNewApiOptions): FakeNewApiOptions {
  return structuredClone(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
}

const isStreamFault = (fault: FakeFault): fault is StreamFault => fault.kind.startsWith('stream-');

/** A fake NewAPI (≈ v1.0.0-rc.21) on 127.0.0.1: management `/api/*` and relay routes, with recording and faults. */
export class FakeNewApi {
  readonly requests: RecordedRequest[] = [];
  /** The live state: tests may change it between calls. */
  state: FakeNewApiState;
  private readonly server: Server;
  private readonly rules: { rule: FaultRule; remaining: number | undefined }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<() => void>();
  private readonly startTime = Date.now();
  private seq = 0;
  private listenPort = 0;
  private closing: Promise<void> | undefined;

  private constructor(options: FakeNewApiOptions) {
    this.state = resolveState(options);
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeNewApiOptions = {}): Promise<FakeNewApi> {
    const fake = new FakeNewApi(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.listenPort = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get port(): number {
    return this.listenPort;
  }

  /** e.g. `http://127.0.0.1:54321` (no trailing slash). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  update(patch: Partial<FakeNewApiOptions>): void {
    Object.assign(this.state, definedCopy(patch));
  }

  addFault(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times });
  }

  clearFaults(): void {
    this.rules.length = 0;
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && matchPath(path, r.path));
  }

  checkedInToday(): boolean {
    const today = localDate();
    return this.state.checkins.some((r) => r.checkin_date === today);
  }

  /** Ends everything (hanging requests, stalled streams, keep-alive sockets) and stops listening. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const wake of [...this.waiters]) wake();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private wait(ms: number): Promise<void> {
    if (this.closing || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  /** First matching rule wins; stream faults only match requests that ask for an SSE answer. */
  private takeFault(ctx: Ctx): FakeFault | undefined {
    let streaming: boolean | undefined;
    for (let i = 0; i < this.rules.length; i++) {
      const entry = this.rules[i]!;
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== ctx.method) continue;
      if (!matchPath(rule.path, ctx.path)) continue;
      if (isStreamFault(rule.fault) && !(streaming ??= wantsStream(ctx))) continue;
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.rules.splice(i, 1);
      }
      return rule.fault;
    }
    return undefined;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const rawUrl = req.url ?? '/';
      const url = new URL(rawUrl.startsWith('/') ? `http://127.0.0.1${rawUrl}` : rawUrl);
      const requestId = makeRequestId(++this.seq);
      const ctx: Ctx = {
        req,
        res,
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        url,
        body: Buffer.concat(chunks),
        requestId,
        state: this.state,
        streamFault: undefined,
        wait: (ms) => this.wait(ms),
        closed: () => this.closing !== undefined,
        startTime: this.startTime,
        baseUrl: this.url,
      };
      const recorded: RecordedRequest = {
        method: ctx.method,
        path: ctx.path,
        query: Object.fromEntries(url.searchParams),
        rawUrl,
        headers: { ...req.headers },
        body: ctx.body,
        at: Date.now(),
        requestId,
        clientAborted: false,
      };
      this.requests.push(recorded);
      // The caller hung up before the answer was complete (the gateway aborting a stream).
      res.on('close', () => {
        if (!res.writableFinished && !this.closing) recorded.clientAborted = true;
      });
      res.setHeader('X-Oneapi-Request-Id', requestId);
      res.setHeader('X-New-Api-Version', this.state.version);
      await ctx.wait(this.state.latencyMs);
      if (ctx.closed()) return;
      const fault = this.takeFault(ctx);
      if (fault && !(await this.applyFault(ctx, fault))) return;
      await this.route(ctx);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'fake_newapi_error' } });
      else res.destroy();
    }
  }

  /** Applies a fault; true when the request should then be handled normally. */
  private async applyFault(ctx: Ctx, fault: FakeFault): Promise<boolean> {
    const { res } = ctx;
    switch (fault.kind) {
      case 'status': {
        const body = fault.body ?? '';
        const type = isJson(body) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
        sendRaw(res, fault.status, body, { ...(body === '' ? {} : { 'content-type': type }), ...fault.headers });
        return false;
      }
      case 'envelope-error':
        sendJson(res, 200, { success: false, message: fault.message });
        return false;
      case 'malformed':
        sendRaw(res, 200, '{"success":true,"data":{"oops', { 'content-type': 'application/json; charset=utf-8' });
        return false;
      case 'empty-json':
        sendJson(res, 200, { success: true, data: null });
        return false;
      case 'hang':
        return false; // the socket is destroyed by close()
      case 'reset':
        ctx.req.socket.resetAndDestroy();
        return false;
      case 'delay':
        await ctx.wait(fault.ms);
        return !ctx.closed();
      default:
        ctx.streamFault = fault;
        return true;
    }
  }

  private async route(ctx: Ctx): Promise<void> {
    if (ctx.path.startsWith('/api/')) {
      const route = matchManagement(ctx);
      if (!route) return notFound(ctx);
      if (!route.auth || authorize(ctx)) await route.handler(ctx);
      return;
    }
    const route = matchRelay(ctx.method, ctx.path);
    if (!route) return notFound(ctx);
    await route.handler(ctx);
  }
}

function matchPath(pattern: string | RegExp, path: string): boolean {
  if (typeof pattern === 'string') return pattern === path;
  pattern.lastIndex = 0;
  return pattern.test(path);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
