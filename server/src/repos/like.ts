import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * A case-insensitive "contains" LIKE that treats % and _ in the search text literally, the same on
 * all three databases. The escape character is `!` because a backslash means different things
 * inside string literals on MySQL and PostgreSQL.
 */
export function likeContains(column: Expression<string>, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '!'`;
}
