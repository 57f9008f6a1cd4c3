import { Role, type User } from '../../api/types.js';
import type { NewUserBody, UserChangesBody } from '../../api/users.js';

export const UserStatus = { enabled: 1, disabled: 2 } as const;

export type UserAction = 'edit' | 'enable' | 'disable' | 'promote' | 'demote' | 'delete';

type Caller = Pick<User, 'id' | 'role'>;
type Target = Pick<User, 'id' | 'role' | 'status'>;

/** As the server decides: nobody acts on a user of equal or higher role, nor grants a role as high as their own. */
export function canManage(callerRole: number, targetRole: number): boolean {
  return callerRole > targetRole;
}

/** Roles the caller may give a new user: every role below their own (admins make users; root also admins). */
export function grantableRoles(callerRole: number): number[] {
  return Object.values(Role).filter((role) => canManage(callerRole, role));
}

/**
 * What the caller may do to a user, so that the page offers only what the server would accept:
 * nothing on yourself (that is the settings page), on your equals, your betters or root; promote and
 * demote between user and admin only for a caller above admin (root).
 */
export function allowedActions(caller: Caller, target: Target): Set<UserAction> {
  const actions = new Set<UserAction>();
  if (caller.id === target.id || !canManage(caller.role, target.role)) return actions;
  actions.add('edit');
  actions.add(target.status === UserStatus.enabled ? 'disable' : 'enable');
  if (canManage(caller.role, Role.admin)) {
    if (target.role < Role.admin) actions.add('promote');
    else if (target.role === Role.admin) actions.add('demote');
  }
  actions.add('delete');
  return actions;
}

/** The i18n key of a role's name, and the colour of its tag. */
export function roleKey(role: number): 'root' | 'admin' | 'user' {
  if (role >= Role.root) return 'root';
  if (role >= Role.admin) return 'admin';
  return 'user';
}

export const ROLE_COLORS = { root: 'gold', admin: 'blue', user: 'default' } as const;

export interface CreateUserValues {
  username: string;
  password: string;
  display_name?: string;
  email?: string;
  role: number;
}

export interface EditUserValues {
  display_name?: string;
  email?: string;
  password?: string;
  enabled: boolean;
}

/** A new user's body; empty optional texts are left out, so the server's defaults apply. */
export function createBody(values: CreateUserValues): NewUserBody {
  const body: NewUserBody = { username: values.username.trim(), password: values.password, role: values.role };
  const displayName = values.display_name?.trim();
  const email = values.email?.trim();
  if (displayName) body.display_name = displayName;
  if (email) body.email = email;
  return body;
}

export function editValues(user: User): EditUserValues {
  return {
    display_name: user.display_name,
    email: user.email,
    password: '',
    enabled: user.status === UserStatus.enabled,
  };
}

/** Only what changed; an empty password means "keep it". */
export function changesBody(user: User, values: EditUserValues): UserChangesBody {
  const body: UserChangesBody = {};
  const displayName = (values.display_name ?? '').trim();
  const email = (values.email ?? '').trim();
  if (displayName !== user.display_name) body.display_name = displayName;
  if (email !== user.email) body.email = email;
  if (values.password) body.password = values.password;
  const status = values.enabled ? UserStatus.enabled : UserStatus.disabled;
  if (status !== user.status) body.status = status;
  return body;
}
