/**
 * Multi-row statements in chunks: one statement per chunk instead of one per row, and small enough
 * to stay under every database's parameter limit (SQLite's is 32766, PostgreSQL's 65535).
 */
export const CHUNK_ROWS = 200;

export async function forEachChunk<T>(items: readonly T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK_ROWS) {
    await run(items.slice(start, start + CHUNK_ROWS));
  }
}
