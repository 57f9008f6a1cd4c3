import { z } from 'zod';
import { appError } from '../errors/catalogue.js';

/** Parses API input; a failure names each bad field and what it must be. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  throw appError('VALIDATION_FAILED', problems.join('; '));
}

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

export const idParam = z.object({ id: z.coerce.number().int().positive('must be a positive integer') });
