import type SQLite from 'better-sqlite3';

/** Called once per enabled route, with what the route table needs of it. */
export type RouteVisitor = (
  id: number,
  modelName: string,
  priority: number,
  weight: number,
  providerId: number,
  providerTokenId: number,
) => void;

/** Between model names in one group: a control character no model name is expected to hold. */
const SEPARATOR = '\u001f';

/**
 * The enabled routes from SQLite, one result row per token (and priority, weight) with its routes'
 * ids and model names concatenated, split apart here. Reading 500,000 routes one row each cost
 * about a second in better-sqlite3's row objects alone; the groups come back in a quarter of that.
 * Both lists of a group are aggregated over the same rows in the same order, so they pair up.
 * False, before visiting any route, when a model name holds the separator: the caller then reads
 * row by row. Call it while holding Kysely's connection.
 */
export function visitEnabledRoutes(handle: SQLite.Database, visit: RouteVisitor): boolean {
  const groups = handle
    .prepare(
      `select provider_token_id, provider_id, priority, weight,
         group_concat(id, ',') as ids, group_concat(model_name, char(31)) as models
       from model_routes where enabled = 1
       group by provider_token_id, provider_id, priority, weight`,
    )
    .raw()
    .all() as Array<[number, number, number, number, string, string]>;
  const split = groups.map(([, , , , ids, models]) => [ids.split(','), models.split(SEPARATOR)] as const);
  if (split.some(([ids, models]) => ids.length !== models.length)) return false;
  groups.forEach(([providerTokenId, providerId, priority, weight], g) => {
    const [ids, models] = split[g]!;
    for (let i = 0; i < ids.length; i++) {
      visit(Number(ids[i]), models[i]!, priority, weight, providerId, providerTokenId);
    }
  });
  return true;
}
