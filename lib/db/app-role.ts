import { sql } from 'drizzle-orm';
import type { Db } from './connect';
/**
 * The application's own database role (issue 16; docs/operations.md "The database role"): in
 * production the app does not connect as the owner of the schema, let alone a superuser. It may
 * read and write rows, never change the schema, and never UPDATE, DELETE or TRUNCATE the
 * append-only records — the link history (SPEC §4), the staff access log (SPEC §5) and the
 * operations log — so that even a compromised process cannot rewrite what happened. (Triggers
 * refuse those changes for every role as well: migrations 0001 and 0006.)
 *
 * The grant set is applied by the migrating connection (the owner) after every migration run, so a
 * table added by a later migration gets its grants in the same start-up (lib/db/connect.ts).
 */
export const APPEND_ONLY_TABLES = ['link_history', 'receipts', 'staff_access_log', 'operations_log'] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The statements, in order; idempotent (a revoke of everything first, then exactly the set).
 * Run them with `applyAppRole`, in one transaction: every instance applies them when it starts,
 * and instances already serving must never see the role between the revoke and the grants.
 */
export function appRoleStatements(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`DATABASE_APP_ROLE must be a plain lower-case role name (got ${JSON.stringify(role)})`);
  const r = `"${role}"`;
  const appendOnly = APPEND_ONLY_TABLES.map((t) => `public."${t}"`).join(', ');
  return [
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`,
    `REVOKE CREATE ON SCHEMA public FROM ${r}`,
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE ON ${appendOnly} FROM ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // Readiness compares the newest migration applied with the one this build carries.
    `GRANT USAGE ON SCHEMA drizzle TO ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA drizzle FROM ${r}`,
    `GRANT SELECT ON drizzle.__drizzle_migrations TO ${r}`,
  ];
}

/**
 * Applies the grant set in one transaction (GRANT and REVOKE are transactional in PostgreSQL):
 * other sessions see the role's privileges as they were or as they are after, never the moment in
 * between, when the role may read nothing. Without it an instance that started while another was
 * seeding or serving gave that one "permission denied" (CI, 2026-12-02: the cluster's first
 * instance failed its start-up seed when the second applied the set).
 */
export async function applyAppRole(db: Db, role: string): Promise<void> {
  const statements = appRoleStatements(role);
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}
