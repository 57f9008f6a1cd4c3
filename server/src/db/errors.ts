/** Recognises a unique-key violation whatever database raised it. */
export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: unknown; errno?: unknown } | null;
  if (!err) return false;
  return (
    err.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    err.code === 'ER_DUP_ENTRY' ||
    err.code === '23505'
  );
}
