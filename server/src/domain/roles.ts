export const Role = { user: 1, admin: 10, root: 100 } as const;
export type RoleValue = (typeof Role)[keyof typeof Role];
export const ROLE_VALUES: readonly number[] = Object.values(Role);

export const UserStatus = { enabled: 1, disabled: 2 } as const;

/** Nobody acts on a user of equal or higher role, and nobody grants a role as high as their own. */
export function canManage(actorRole: number, targetRole: number): boolean {
  return actorRole > targetRole;
}
