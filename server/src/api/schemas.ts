import { z } from 'zod';
import { ROLE_VALUES, UserStatus } from '../domain/roles.js';

export const username = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\w.@-]+$/, 'may contain only letters, digits and _ . @ -');
export const newPassword = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
export const displayName = z.string().trim().max(64, 'must be at most 64 characters');
export const email = z.union([z.literal(''), z.email('must be an email address').max(128)]);
export const role = z
  .number()
  .int()
  .refine((value) => ROLE_VALUES.includes(value), `must be one of ${ROLE_VALUES.join(', ')}`);
export const userStatus = z.union([z.literal(UserStatus.enabled), z.literal(UserStatus.disabled)], {
  error: `must be ${UserStatus.enabled} (enabled) or ${UserStatus.disabled} (disabled)`,
});

export const loginBody = z.object({
  username: z.string().min(1, 'must not be empty').max(64),
  password: z.string().min(1, 'must not be empty').max(128),
});

export const registerBody = z.object({ username, password: newPassword });

export const selfUpdateBody = z
  .object({
    display_name: displayName.optional(),
    email: email.optional(),
    password: newPassword.optional(),
    original_password: z.string().max(128).optional(),
  })
  .refine((body) => body.password === undefined || body.original_password !== undefined, {
    message: 'is required to change the password',
    path: ['original_password'],
  });

export const createUserBody = z.object({
  username,
  password: newPassword,
  display_name: displayName.optional(),
  email: email.optional(),
  role: role.optional(),
});

export const updateUserBody = z.object({
  id: z.number().int().positive(),
  username: username.optional(),
  password: newPassword.optional(),
  display_name: displayName.optional(),
  email: email.optional(),
  role: role.optional(),
  status: userStatus.optional(),
});

export const manageUserBody = z
  .object({
    id: z.number().int().positive().optional(),
    username: z.string().optional(),
    action: z.enum(['enable', 'disable', 'delete', 'promote', 'demote']),
  })
  .refine((body) => body.id !== undefined || body.username !== undefined, {
    message: 'id or username is required',
    path: ['id'],
  });

export const optionUpdateBody = z.object({
  key: z.string().min(1, 'must not be empty'),
  value: z.unknown(),
});

export const userListQuery = z.object({ keyword: z.string().trim().max(64).optional() });
