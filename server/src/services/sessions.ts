import { SESSION_TTL_SECONDS, isSessionData, openPayload, seal, unsign } from './session-cookie.js';

export { SESSION_TTL_SECONDS } from './session-cookie.js';
export { RedisSessionStore } from './redis-sessions.js';

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

/** The session is the signed cookie itself: nothing to store, nothing shared between processes but the secret. */
export class SignedCookieSessionStore implements SessionStore {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  create(data: SessionData): Promise<string> {
    return Promise.resolve(seal(this.secret, { ...data, exp: this.now() + SESSION_TTL_SECONDS }));
  }

  read(cookieValue: string): Promise<SessionData | undefined> {
    const payload = unsign(this.secret, cookieValue);
    const parsed = payload === undefined ? undefined : (openPayload(payload) as { exp?: unknown } | undefined);
    if (!isSessionData(parsed) || typeof parsed.exp !== 'number' || parsed.exp < this.now()) {
      return Promise.resolve(undefined);
    }
    return Promise.resolve({ uid: parsed.uid, ver: parsed.ver });
  }

  destroy(): Promise<void> {
    return Promise.resolve(); // the cookie is cleared by the caller; a signed cookie has no server side
  }
}
