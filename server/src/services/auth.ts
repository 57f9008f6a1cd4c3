import type { UserRow } from '../db/schema.js';
import { UserStatus } from '../domain/roles.js';
import { appError } from '../errors/catalogue.js';
import type { SessionStore } from './sessions.js';
import type { UsersService } from './users.js';

export interface Credentials {
  authorization?: string;
  sessionCookie?: string;
}

export interface Authenticated {
  user: UserRow;
  via: 'token' | 'session';
}

/**
 * Who is calling the management API. The user row is read on every request, so disabling a user
 * stops their sessions and access token at once, and a password change ends their sessions.
 */
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionStore,
  ) {}

  async authenticate(credentials: Credentials): Promise<Authenticated | undefined> {
    const bearer = parseBearer(credentials.authorization);
    if (bearer !== undefined) {
      const user = await this.users.findByAccessToken(bearer);
      if (!user) throw appError('INVALID_ACCESS_TOKEN');
      if (user.status !== UserStatus.enabled) throw appError('USER_DISABLED');
      return { user, via: 'token' };
    }
    if (!credentials.sessionCookie) return undefined;
    const session = await this.sessions.read(credentials.sessionCookie);
    if (!session) return undefined;
    const user = await this.users.findById(session.uid);
    if (!user || user.session_version !== session.ver) return undefined;
    if (user.status !== UserStatus.enabled) throw appError('USER_DISABLED');
    return { user, via: 'session' };
  }

  startSession(user: UserRow): Promise<string> {
    return this.sessions.create({ uid: user.id, ver: user.session_version });
  }

  endSession(cookieValue: string): Promise<void> {
    return this.sessions.destroy(cookieValue);
  }
}

/** `Bearer x`, or the bare token as NewAPI's clients send it. */
function parseBearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const token = header.replace(/^Bearer\s+/i, '').trim();
  return token || undefined;
}
