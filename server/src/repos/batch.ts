/**
 * Multi-row statements in chunks: one statement per chunk instead of one per row, and small enough
 * to stay under every database's parameter limit (SQLite's is 32766, PostgreSQL's 65535).
 */
export const CHUNK_ROWS = 200;

/** Parameters per multi-row insert for narrow rows: well under every limit, and few statements for big syncs. */
const INSERT_PARAMETERS = 8000;

/** Rows per multi-row insert of rows with `columns` columns (at least CHUNK_ROWS). */
export function insertChunkRows(columns: number): number {
  return Math.max(CHUNK_ROWS, Math.floor(INSERT_PARAMETERS / Math.max(1, columns)));
}

export async function forEachChunk<T>(
  items: readonly T[],
  run: (chunk: T[]) => Promise<unknown>,
  size = CHUNK_ROWS,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await run(items.slice(start, start + size));
  }
}
