import { createHash, randomBytes } from 'node:crypto';
import { isUniqueViolation } from '../db/errors.js';
import type { UserRow } from '../db/schema.js';
import { Role, UserStatus, canManage } from '../domain/roles.js';
import { appError } from '../errors/catalogue.js';
import type { UsersRepo } from '../repos/users.js';
import {
  DEFAULT_ROOT_PASSWORD,
  DEFAULT_ROOT_USERNAME,
  burnPasswordCheck,
  hashPassword,
  verifyPassword,
} from './passwords.js';

/** What the API may show of a user: never the password hash or the access token. */
export interface UserView {
  id: number;
  username: string;
  display_name: string;
  email: string;
  role: number;
  status: number;
  has_access_token: boolean;
  created_at: number;
  updated_at: number;
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    email: row.email,
    role: row.role,
    status: row.status,
    has_access_token: row.access_token_hash !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export const hashAccessToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface NewUser {
  username: string;
  password: string;
  display_name?: string;
  email?: string;
  role?: number;
}

export interface UserChanges {
  username?: string;
  display_name?: string;
  email?: string;
  password?: string;
  role?: number;
  status?: number;
}

export type ManageAction = 'enable' | 'disable' | 'delete' | 'promote' | 'demote';

export class UsersService {
  private readonly defaultPasswordByHash = new Map<string, boolean>();

  constructor(
    private readonly repo: UsersRepo,
    private readonly now: () => number,
    /** Told after a user changes, so the relay stops a disabled user's keys at once. */
    private readonly onChanged: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Creates root/123456 on an empty database; safe when several processes start at once. */
  async ensureRoot(): Promise<void> {
    if ((await this.repo.count()) > 0) return;
    try {
      await this.insert({ username: DEFAULT_ROOT_USERNAME, password: DEFAULT_ROOT_PASSWORD, role: Role.root });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /** True while the root account still has the well-known first-run password. */
  async rootHasDefaultPassword(): Promise<boolean> {
    const root = await this.repo.findByUsername(DEFAULT_ROOT_USERNAME);
    return root !== undefined && (await this.hasDefaultPassword(root));
  }

  /** Whether a root account still uses 123456; remembered per hash, since a verify costs tens of ms. */
  async hasDefaultPassword(user: UserRow): Promise<boolean> {
    if (user.role !== Role.root) return false;
    let known = this.defaultPasswordByHash.get(user.password_hash);
    if (known === undefined) {
      known = await verifyPassword(user.password_hash, DEFAULT_ROOT_PASSWORD);
      this.defaultPasswordByHash.clear();
      this.defaultPasswordByHash.set(user.password_hash, known);
    }
    return known;
  }

  async login(username: string, password: string): Promise<UserRow> {
    const user = await this.repo.findByUsername(username);
    if (!user) {
      await burnPasswordCheck(password);
      throw appError('INVALID_CREDENTIALS');
    }
    if (!(await verifyPassword(user.password_hash, password))) throw appError('INVALID_CREDENTIALS');
    if (user.status !== UserStatus.enabled) throw appError('USER_DISABLED');
    return user;
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.repo.findById(id);
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.repo.findByUsername(username);
  }

  findByAccessToken(token: string): Promise<UserRow | undefined> {
    return this.repo.findByAccessTokenHash(hashAccessToken(token));
  }

  async register(username: string, password: string): Promise<UserView> {
    return this.create({ username, password, role: Role.user });
  }

  async updateSelf(
    user: UserRow,
    changes: { display_name?: string; email?: string; password?: string; original_password?: string },
  ): Promise<UserView> {
    const update: Partial<UserRow> = {};
    if (changes.display_name !== undefined) update.display_name = changes.display_name;
    if (changes.email !== undefined) update.email = changes.email;
    if (changes.password !== undefined) {
      if (!(await verifyPassword(user.password_hash, changes.original_password ?? ''))) {
        throw appError('WRONG_PASSWORD');
      }
      update.password_hash = await hashPassword(changes.password);
      update.session_version = user.session_version + 1;
    }
    return this.apply(user, update);
  }

  /** A new personal access token; only its hash is kept, so it is shown once. */
  async generateAccessToken(user: UserRow): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.repo.update(user.id, { access_token_hash: hashAccessToken(token), updated_at: this.now() });
    return token;
  }

  list(keyword: string | undefined, offset: number, limit: number) {
    return this.repo
      .list({ keyword, offset, limit })
      .then(({ items, total }) => ({ items: items.map(toUserView), total }));
  }

  async get(actor: UserRow, id: number): Promise<UserView> {
    return toUserView(await this.target(actor, id, { allowSelf: true }));
  }

  async create(input: NewUser, actor?: UserRow): Promise<UserView> {
    const role = input.role ?? Role.user;
    if (actor && !canManage(actor.role, role))
      throw appError('FORBIDDEN', 'you can only create users of a lower role than yours');
    try {
      const id = await this.insert(input);
      return toUserView((await this.repo.findById(id)) as UserRow);
    } catch (error) {
      if (isUniqueViolation(error)) throw appError('USERNAME_TAKEN', `username "${input.username}" is taken`);
      throw error;
    }
  }

  async update(actor: UserRow, id: number, changes: UserChanges): Promise<UserView> {
    const target = await this.target(actor, id);
    if (changes.role !== undefined && !canManage(actor.role, changes.role)) {
      throw appError('FORBIDDEN', 'you can only grant a role lower than yours');
    }
    const update: Partial<UserRow> = {};
    if (changes.username !== undefined) update.username = changes.username;
    if (changes.display_name !== undefined) update.display_name = changes.display_name;
    if (changes.email !== undefined) update.email = changes.email;
    if (changes.role !== undefined) update.role = changes.role;
    if (changes.status !== undefined) update.status = changes.status;
    if (changes.password !== undefined) update.password_hash = await hashPassword(changes.password);
    if (changes.password !== undefined || changes.status === UserStatus.disabled) {
      update.session_version = target.session_version + 1;
    }
    return this.apply(target, update);
  }

  async manage(actor: UserRow, id: number, action: ManageAction): Promise<UserView | undefined> {
    const target = await this.target(actor, id);
    switch (action) {
      case 'enable':
        return this.update(actor, id, { status: UserStatus.enabled });
      case 'disable':
        return this.update(actor, id, { status: UserStatus.disabled });
      case 'delete':
        await this.repo.delete(target.id);
        await this.onChanged();
        return undefined;
      case 'promote':
        if (target.role >= Role.admin) throw appError('VALIDATION_FAILED', 'this user is already an admin');
        return this.update(actor, id, { role: Role.admin });
      case 'demote':
        if (target.role <= Role.user) throw appError('VALIDATION_FAILED', 'this user is already a plain user');
        return this.update(actor, id, { role: Role.user });
    }
  }

  async delete(actor: UserRow, id: number): Promise<void> {
    await this.manage(actor, id, 'delete');
  }

  /** Loads a user the actor may act on; 404 hides users that do not exist. */
  private async target(actor: UserRow, id: number, { allowSelf = false } = {}): Promise<UserRow> {
    const target = await this.repo.findById(id);
    if (!target) throw appError('USER_NOT_FOUND');
    if (allowSelf && target.id === actor.id) return target;
    if (target.id === actor.id) throw appError('FORBIDDEN', 'use your own settings page to change your account');
    if (!canManage(actor.role, target.role))
      throw appError('FORBIDDEN', 'you cannot act on a user whose role is equal to or higher than yours');
    return target;
  }

  private async apply(target: UserRow, update: Partial<UserRow>): Promise<UserView> {
    update.updated_at = this.now();
    try {
      await this.repo.update(target.id, update);
    } catch (error) {
      if (isUniqueViolation(error)) throw appError('USERNAME_TAKEN', `username "${update.username ?? ''}" is taken`);
      throw error;
    }
    await this.onChanged();
    return toUserView({ ...target, ...update });
  }

  private async insert(input: NewUser): Promise<number> {
    const now = this.now();
    return this.repo.insert({
      username: input.username,
      password_hash: await hashPassword(input.password),
      display_name: input.display_name ?? input.username,
      email: input.email ?? '',
      role: input.role ?? Role.user,
      status: UserStatus.enabled,
      access_token_hash: null,
      session_version: 0,
      created_at: now,
      updated_at: now,
    });
  }
}
