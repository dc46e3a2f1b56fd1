import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '@/lib/db/connect';
import { onServer, openTestDatabase } from '@/test/db';
import { APPEND_ONLY_TABLES, appRoleStatements, applyAppRole } from './app-role';

// Issue 16: the application's database role may read and write rows, never change the schema,
// and never rewrite the append-only records (docs/operations.md "The database role").
const role = `renkei_app_test_${randomBytes(4).toString('hex')}`;
let database: Database;

/** Runs one statement as the application's role, in a transaction that is rolled back. */
async function asApp(statement: string): Promise<'ok' | string> {
  const rollback = new Error('rollback');
  try {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local role "${role}"`));
      await tx.execute(sql.raw(statement));
      throw rollback;
    });
  } catch (error) {
    if (error === rollback) return 'ok';
    const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
    return cause.code ?? String(error);
  }
  return 'ok';
}

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(sql.raw(`create role "${role}" nologin`));
  await applyAppRole(database.db, role);
});
afterAll(async () => {
  await database.db.execute(sql.raw(`drop owned by "${role}"`));
  await database.db.execute(sql.raw(`drop role "${role}"`));
  await database?.close();
});

describe(`the application's database role (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('refuses UPDATE, DELETE and TRUNCATE on every append-only table, and allows reading and adding to it', async () => {
    for (const table of APPEND_ONLY_TABLES) {
      expect(await asApp(`update ${table} set id = id where false`), `UPDATE ${table}`).toBe('42501');
      expect(await asApp(`delete from ${table} where false`), `DELETE ${table}`).toBe('42501');
      expect(await asApp(`truncate ${table}`), `TRUNCATE ${table}`).toBe('42501');
      expect(await asApp(`select count(*) from ${table}`), `SELECT ${table}`).toBe('ok');
    }
    const result = await database.db.execute(
      sql.raw(`select bool_and(has_table_privilege('${role}', 'public.' || t, 'INSERT')) as ok from unnest(array['${APPEND_ONLY_TABLES.join("','")}']) t`),
    );
    expect(rowsOf<{ ok: boolean }>(result)[0]?.ok).toBe(true);
  });

  it('reads and writes every other table, the tables of later migrations included', async () => {
    const result = await database.db.execute(
      sql.raw(`select table_name as name,
        has_table_privilege('${role}', 'public.' || quote_ident(table_name), 'SELECT, INSERT, UPDATE, DELETE') as write,
        has_table_privilege('${role}', 'public.' || quote_ident(table_name), 'TRUNCATE') as truncate
        from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
    );
    const tables = rowsOf<{ name: string; write: boolean; truncate: boolean }>(result);
    expect(tables.length).toBeGreaterThan(20);
    const others = tables.filter((t) => !(APPEND_ONLY_TABLES as readonly string[]).includes(t.name));
    expect(others.filter((t) => !t.write).map((t) => t.name)).toEqual([]);
    expect(tables.filter((t) => t.truncate).map((t) => t.name)).toEqual([]);
    expect(await asApp('update links set status = status where false')).toBe('ok');
    expect(await asApp('select max(created_at) from drizzle.__drizzle_migrations')).toBe('ok');
  });

  it('cannot change the schema', async () => {
    expect(await asApp('create table public.intruder (id int)')).toBe('42501');
    expect(await asApp('alter table links add column intruder int')).toBe('42501');
    expect(await asApp('drop trigger link_history_append_only on link_history')).toBe('42501');
    expect(await asApp('delete from drizzle.__drizzle_migrations')).toBe('42501');
  });

  // Every instance applies the grant set when it starts; the instances already serving (or still
  // seeding) must never see the role without its privileges in between (the cluster's CI failure).
  it.runIf(onServer)('an instance applying the grant set never leaves another one without its privileges', async () => {
    let applying = true;
    const refused: string[] = [];
    let reads = 0;
    const reader = (async () => {
      while (applying) {
        const outcome = await asApp('select count(*) from links');
        reads++;
        if (outcome !== 'ok') refused.push(outcome);
      }
    })();
    try {
      for (let round = 0; round < 40; round++) await applyAppRole(database.db, role);
    } finally {
      applying = false;
      await reader;
    }
    expect(reads).toBeGreaterThan(20);
    expect(refused).toEqual([]);
  });

  it('refuses a role name that is not a plain identifier', () => {
    expect(() => appRoleStatements('app"; drop table links; --')).toThrow(/plain lower-case role name/);
    expect(() => appRoleStatements('App')).toThrow();
  });
});
