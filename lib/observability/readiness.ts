import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { rowsOf } from '@/lib/db/connect';

/**
 * Readiness for a load balancer (GET /api/health/ready): 200 only when this instance can serve —
 * its database answers and has every migration this build expects — else 503 with the reason,
 * so the balancer takes this instance out, not the whole service. Liveness (/api/health) stays
 * free of the database: a database outage must not make every instance restart.
 */
export type Readiness = { ready: true } | { ready: false; reason: string };

const READY_TIMEOUT_MS = 2_000;

/** The newest migration this build carries (drizzle's journal: `when` is what the migrator records). */
export function expectedMigration(folder = path.join(process.cwd(), 'drizzle')): { tag: string; when: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  const last = journal.entries.at(-1);
  if (!last) throw new Error('the migration journal is empty');
  return { tag: last.tag, when: last.when };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

export async function checkReadiness(input: { draining: boolean; db: Db | null; expected: { tag: string; when: number }; timeoutMs?: number }): Promise<Readiness> {
  if (input.draining) return { ready: false, reason: 'shutting down' };
  if (!input.db) return { ready: false, reason: 'the database is not open' };
  try {
    const result = await withTimeout(input.db.execute(sql`select coalesce(max(created_at), 0)::bigint as newest from drizzle.__drizzle_migrations`), input.timeoutMs ?? READY_TIMEOUT_MS);
    const newest = Number(rowsOf<{ newest: string | number }>(result)[0]?.newest ?? 0);
    // A newer build's migrations may already be applied (two versions side by side during an upgrade).
    if (newest < input.expected.when) return { ready: false, reason: `migrations pending (this build expects ${input.expected.tag})` };
    return { ready: true };
  } catch (error) {
    const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
    return { ready: false, reason: `the database does not answer: ${message}` };
  }
}
