import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface SessionData {
  uid: number;
  /** The user's session_version when the session began. */
  ver: number;
}

/** Where a login lives between requests; the cookie carries either the session itself or its id. */
export interface SessionStore {
  create(data: SessionData): Promise<string>;
  read(cookieValue: string): Promise<SessionData | undefined>;
  destroy(cookieValue: string): Promise<void>;
}

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

function sign(secret: string, payload: string): string {
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

function unsign(secret: string, value: string): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = value.slice(0, dot);
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(value);
  return expected.length === given.length && timingSafeEqual(expected, given) ? payload : undefined;
}

function isSessionData(value: unknown): value is SessionData {
  const v = value as SessionData | null;
  return typeof v?.uid === 'number' && typeof v.ver === 'number';
}

/** The session is the signed cookie itself: nothing to store, nothing shared between processes but the secret. */
export class SignedCookieSessionStore implements SessionStore {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  create(data: SessionData): Promise<string> {
    const payload = Buffer.from(JSON.stringify({ ...data, exp: this.now() + SESSION_TTL_SECONDS })).toString(
      'base64url',
    );
    return Promise.resolve(sign(this.secret, payload));
  }

  read(cookieValue: string): Promise<SessionData | undefined> {
    const payload = unsign(this.secret, cookieValue);
    if (!payload) return Promise.resolve(undefined);
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString()) as SessionData & { exp?: number };
      if (!isSessionData(parsed) || typeof parsed.exp !== 'number' || parsed.exp < this.now()) {
        return Promise.resolve(undefined);
      }
      return Promise.resolve({ uid: parsed.uid, ver: parsed.ver });
    } catch {
      return Promise.resolve(undefined);
    }
  }

  destroy(): Promise<void> {
    return Promise.resolve(); // the cookie is cleared by the caller; a signed cookie has no server side
  }
}

/** Sessions in Redis under a random id, so logout ends them everywhere and every process sees them. */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly secret: string,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}session:`;
  }

  async create(data: SessionData): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.redis.set(this.prefix + id, JSON.stringify(data), 'EX', SESSION_TTL_SECONDS);
    return sign(this.secret, id);
  }

  async read(cookieValue: string): Promise<SessionData | undefined> {
    const id = unsign(this.secret, cookieValue);
    if (!id) return undefined;
    const stored = await this.redis.get(this.prefix + id);
    if (!stored) return undefined;
    try {
      const parsed: unknown = JSON.parse(stored);
      return isSessionData(parsed) ? { uid: parsed.uid, ver: parsed.ver } : undefined;
    } catch {
      return undefined;
    }
  }

  async destroy(cookieValue: string): Promise<void> {
    const id = unsign(this.secret, cookieValue);
    if (id) await this.redis.del(this.prefix + id);
  }
}
