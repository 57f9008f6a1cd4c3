import { z } from 'zod';

/**
 * The parts of NewAPI's management answers the gateway reads, parsed leniently: unknown keys are
 * ignored and numbers may arrive as strings, but a missing or wrongly typed essential field makes
 * the whole answer malformed, so a sync never acts on half a document.
 */
const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const optionalNum = num
  .optional()
  .nullable()
  .transform((v) => v ?? 0);
const stringList = z
  .array(z.string())
  .nullable()
  .optional()
  .transform((v) => v ?? []);

export const envelope = z.object({
  success: z.boolean(),
  message: z.string().optional().nullable(),
  data: z.unknown().optional(),
});

export const statusData = z.object({
  version: z.string().optional().nullable(),
  quota_per_unit: num.optional().nullable(),
  checkin_enabled: z.boolean().optional().nullable(),
  check_in_enabled: z.boolean().optional().nullable(),
});

export const pricingItem = z.object({
  model_name: z.string().min(1),
  quota_type: optionalNum,
  model_ratio: optionalNum,
  completion_ratio: optionalNum,
  model_price: optionalNum,
  enable_groups: stringList,
  supported_endpoint_types: stringList,
});
export type PricingItem = z.output<typeof pricingItem>;

export const pricingDocument = z.object({
  success: z.literal(true),
  data: z.array(pricingItem),
  group_ratio: z.record(z.string(), num).optional().nullable(),
  auto_groups: stringList,
});

export const tokenItem = z.object({
  id: num,
  key: z.string(),
  name: z
    .string()
    .optional()
    .nullable()
    .transform((v) => v ?? ''),
  group: z
    .string()
    .optional()
    .nullable()
    .transform((v) => v ?? ''),
  status: num,
  expired_time: num
    .optional()
    .nullable()
    .transform((v) => v ?? -1),
  remain_quota: optionalNum,
  used_quota: optionalNum,
  unlimited_quota: z
    .boolean()
    .optional()
    .nullable()
    .transform((v) => v ?? false),
  model_limits_enabled: z
    .boolean()
    .optional()
    .nullable()
    .transform((v) => v ?? false),
  model_limits: z
    .string()
    .optional()
    .nullable()
    .transform((v) => v ?? ''),
});
export type UpstreamToken = z.output<typeof tokenItem>;

export const tokenPage = z.union([
  z.array(tokenItem),
  z.object({
    items: z
      .array(tokenItem)
      .nullable()
      .transform((v) => v ?? []),
    total: num.optional(),
  }),
]);

export const selfData = z.object({
  quota: num,
  used_quota: optionalNum,
  group: z
    .string()
    .optional()
    .nullable()
    .transform((v) => v ?? ''),
});

export const revealedKey = z.object({ key: z.string().min(1) });
