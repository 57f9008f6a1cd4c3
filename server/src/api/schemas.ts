import { z } from 'zod';
import { parseAllowList } from '../domain/ip-allow.js';
import { ROLE_VALUES, UserStatus } from '../domain/roles.js';
import { MAX_ID } from './validation.js';

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
  id: z.number().int().positive().max(MAX_ID),
  username: username.optional(),
  password: newPassword.optional(),
  display_name: displayName.optional(),
  email: email.optional(),
  role: role.optional(),
  status: userStatus.optional(),
});

export const manageUserBody = z
  .object({
    id: z.number().int().positive().max(MAX_ID).optional(),
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

const httpUrl = z
  .string()
  .trim()
  .max(512, 'must be at most 512 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && !url.search && !url.hash
      );
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without query or fragment')
  // The upstream's root: paths are appended to it, so a trailing slash would double up.
  .transform((value) => value.replace(/\/+$/, ''));

const providerFields = {
  name: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  base_url: httpUrl,
  access_token: z.string().trim().max(4096, 'must be at most 4096 characters'),
  user_id: z.number().int('must be an integer').min(1, 'must be the upstream user id (1 or more)').max(MAX_ID),
  weight: z.number().int('must be an integer').min(0, 'must not be negative').max(10_000),
  priority: z.number().int('must be an integer').min(-10_000).max(10_000),
  status: userStatus,
  checkin_enabled: z.boolean(),
  remark: z.string().max(1000, 'must be at most 1000 characters'),
};

export const createProviderBody = z.object({
  ...providerFields,
  access_token: providerFields.access_token.min(1, 'is required'),
  weight: providerFields.weight.optional(),
  priority: providerFields.priority.optional(),
  status: providerFields.status.optional(),
  checkin_enabled: providerFields.checkin_enabled.optional(),
  remark: providerFields.remark.optional(),
});

export const updateProviderBody = z.object({
  id: z.number().int().positive().max(MAX_ID),
  ...Object.fromEntries(Object.entries(providerFields).map(([key, schema]) => [key, schema.optional()])),
}) as z.ZodType<{ id: number } & Partial<z.output<typeof createProviderBody>>>;

export const providerListQuery = z.object({ keyword: z.string().trim().max(128).optional() });

export const routeListQuery = z.object({
  model: z.string().trim().max(191).optional(),
  provider_id: z.coerce.number().int().positive().max(MAX_ID).optional(),
});

export const updateRouteBody = z
  .object({
    priority: providerFields.priority.optional(),
    weight: providerFields.weight.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give at least one of priority, weight, enabled',
  });

export const MODEL_LIMITS_MAX_CHARS = 4096;
export const ALLOW_IPS_MAX_CHARS = 8192;

const aggTokenFields = {
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  status: userStatus,
  // 0 is how some clients say "never", like -1.
  expired_time: z
    .number()
    .int('must be an integer')
    .min(-1, 'must be a Unix time in seconds, or -1 for never')
    .transform((value) => (value === 0 ? -1 : value)),
  model_limits_enabled: z.boolean(),
  model_limits: z
    .string()
    .max(MODEL_LIMITS_MAX_CHARS, `must be at most ${MODEL_LIMITS_MAX_CHARS} characters`)
    .transform((text) => [...new Set(text.split(',').map((model) => model.trim()))].filter(Boolean).join(',')),
  allow_ips: z
    .string()
    .max(ALLOW_IPS_MAX_CHARS, `must be at most ${ALLOW_IPS_MAX_CHARS} characters`)
    .transform((text, ctx) => {
      const parsed = parseAllowList(text);
      if (parsed.ok) return parsed.list.entries.join('\n');
      ctx.addIssue({ code: 'custom', message: `"${parsed.bad}" is not an IP address or CIDR range` });
      return z.NEVER;
    }),
};

export const createAggTokenBody = z.object({
  name: aggTokenFields.name.optional(),
  status: aggTokenFields.status.optional(),
  expired_time: aggTokenFields.expired_time.optional(),
  model_limits_enabled: aggTokenFields.model_limits_enabled.optional(),
  model_limits: aggTokenFields.model_limits.optional(),
  allow_ips: aggTokenFields.allow_ips.optional(),
});

export const updateAggTokenBody = createAggTokenBody.extend({ id: z.number().int().positive().max(MAX_ID) });

export const aggTokenListQuery = z.object({ keyword: z.string().trim().max(64).optional() });
