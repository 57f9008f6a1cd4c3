import type { Kysely } from 'kysely';
import type { Database, NewUserRow, UserRow, UserUpdate } from '../db/schema.js';
import { likeContains } from './like.js';

export interface UserListQuery {
  keyword?: string;
  offset: number;
  limit: number;
}

export class UsersRepo {
  constructor(private readonly db: Kysely<Database>) {}

  count(): Promise<number> {
    return this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findByAccessTokenHash(hash: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('access_token_hash', '=', hash).executeTakeFirst();
  }

  async insert(row: NewUserRow): Promise<number> {
    const result = await this.db.insertInto('users').values(row).executeTakeFirstOrThrow();
    if (result.insertId !== undefined) return Number(result.insertId);
    // PostgreSQL reports no insert id; the username is unique, so read it back.
    const inserted = await this.findByUsername(row.username);
    if (!inserted) throw new Error('inserted user not found');
    return inserted.id;
  }

  async update(id: number, changes: UserUpdate): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  /** The user and their aggregated tokens, together; usage logs stay for the record. */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('aggregated_tokens').where('user_id', '=', id).execute();
      await trx.deleteFrom('users').where('id', '=', id).execute();
    });
  }

  async list(query: UserListQuery): Promise<{ items: UserRow[]; total: number }> {
    let base = this.db.selectFrom('users');
    if (query.keyword) {
      const keyword = query.keyword;
      base = base.where((eb) =>
        eb.or([
          likeContains(eb.ref('username'), keyword),
          likeContains(eb.ref('display_name'), keyword),
          likeContains(eb.ref('email'), keyword),
        ]),
      );
    }
    const [items, totalRow] = await Promise.all([
      base.selectAll().orderBy('id', 'asc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(totalRow.n) };
  }
}
