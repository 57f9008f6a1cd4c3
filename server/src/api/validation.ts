import { z } from 'zod';
import { appError } from '../errors/catalogue.js';

/** Parses API input; a failure names each bad field and what it must be. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    const field = fieldWithNul(result.data);
    if (field !== undefined) throw appError('VALIDATION_FAILED', `${field ? `${field}: ` : ''}must not contain NUL`);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  throw appError('VALIDATION_FAILED', problems.join('; '));
}

/** PostgreSQL refuses NUL in text (a 500 if it got that far): the first field carrying one, if any. */
function fieldWithNul(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string' && item.includes('\0')) return path;
    if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) pending.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/** The largest id a 32-bit integer column holds; PostgreSQL and MySQL refuse to compare or store a larger one. */
export const MAX_ID = 2_147_483_647;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

const pageQuery = z.object({
  // NewAPI's clients count pages from 0; both 0 and 1 mean the first page.
  p: z.coerce.number().int().min(0).default(1),
  page_size: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
});

export function parsePage(query: unknown): { page: number; pageSize: number; offset: number } {
  const { p, page_size } = parseInput(pageQuery, query);
  const page = Math.max(1, p);
  return { page, pageSize: page_size, offset: (page - 1) * page_size };
}

export const idParam = z.object({
  id: z.coerce.number().int().positive('must be a positive integer').max(MAX_ID, `must be at most ${MAX_ID}`),
});
