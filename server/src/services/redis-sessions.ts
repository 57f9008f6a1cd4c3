import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisHealth, type HealthLogger, type RedisHealth } from '../redis/health.js';
import { SESSION_TTL_SECONDS, isSessionData, openPayload, seal, unsign } from './session-cookie.js';
import type { SessionData, SessionStore } from './sessions.js';

/** What the cookie carries, signed. `local`: made while Redis was away, so Redis never held it. */
interface Ticket extends SessionData {
  id: string;
  exp: number;
  local?: 1;
}

function toTicket(value: unknown): Ticket | undefined {
  const ticket = value as Ticket | undefined;
  return isSessionData(ticket) && typeof ticket.id === 'string' && typeof ticket.exp === 'number' ? ticket : undefined;
}

/** Logouts waiting for Redis to come back; past this many the oldest are forgotten. */
const MAX_PENDING = 10_000;

/**
 * Sessions in Redis under a random id, so logout ends them everywhere and every process sees them.
 * The cookie carries the session too, signed, so that while Redis is unreachable it is accepted by
 * its signature and logins still work: as `local` sessions, which a logout marks revoked in Redis.
 * Logouts made during an outage wait here and are written to Redis when it answers again.
 */
export class RedisSessionStore implements SessionStore {
  private readonly health: RedisHealth;
  private readonly pending = new Map<string, { local: boolean; exp: number }>();

  constructor(
    redis: Redis,
    private readonly secret: string,
    private readonly keyPrefix: string,
    logger: HealthLogger,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.health = redisHealth(redis, logger);
  }

  async create(data: SessionData): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    const ticket: Ticket = { id, uid: data.uid, ver: data.ver, exp: this.now() + SESSION_TTL_SECONDS };
    const stored = await this.health.attempt(
      async (redis) => (await redis.set(this.key(id), JSON.stringify(data), 'EX', SESSION_TTL_SECONDS)) === 'OK',
      () => false,
    );
    return seal(this.secret, stored ? ticket : { ...ticket, local: 1 });
  }

  async read(cookieValue: string): Promise<SessionData | undefined> {
    const payload = unsign(this.secret, cookieValue);
    if (payload === undefined) return undefined;
    const ticket = toTicket(openPayload(payload));
    if (!ticket) return this.readStored(payload); // a cookie from before tickets: the signed id alone
    if (ticket.exp < this.now() || this.pending.has(ticket.id)) return undefined;
    const alive = await this.health.attempt(
      async (redis) => {
        await this.writePending(redis);
        return ticket.local
          ? (await redis.exists(this.key(ticket.id, 'revoked'))) === 0
          : (await redis.exists(this.key(ticket.id))) === 1;
      },
      () => true, // by its signature, until Redis answers again
    );
    return alive ? { uid: ticket.uid, ver: ticket.ver } : undefined;
  }

  async destroy(cookieValue: string): Promise<void> {
    const payload = unsign(this.secret, cookieValue);
    if (payload === undefined) return;
    const ticket = toTicket(openPayload(payload));
    this.pending.set(ticket?.id ?? payload, {
      local: ticket?.local === 1,
      exp: ticket?.exp ?? this.now() + SESSION_TTL_SECONDS,
    });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    await this.health.attempt(
      (redis) => this.writePending(redis),
      () => undefined,
    );
  }

  private async readStored(id: string): Promise<SessionData | undefined> {
    // Nothing to check it against while Redis is away.
    const stored = await this.health.attempt(
      (redis) => redis.get(this.key(id)),
      () => null,
    );
    try {
      const parsed: unknown = stored ? JSON.parse(stored) : undefined;
      return isSessionData(parsed) ? { uid: parsed.uid, ver: parsed.ver } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Ends in Redis the sessions logged out while it was away; each waits until written. */
  private async writePending(redis: Redis): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    const multi = redis.multi();
    for (const [id, { local, exp }] of batch) {
      if (local) multi.set(this.key(id, 'revoked'), '1', 'EX', Math.max(1, exp - this.now()));
      else multi.del(this.key(id));
    }
    await multi.exec();
    for (const [id] of batch) this.pending.delete(id);
  }

  private key(id: string, kind: 'session' | 'revoked' = 'session'): string {
    return `${this.keyPrefix}${kind === 'session' ? 'session:' : 'session-revoked:'}${id}`;
  }
}
