import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { idempotencyKeys } from '@/lib/db/schema';

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'conflict' } // same key, another body → 422
  | { kind: 'in_flight' }; // same key, still being processed → 409

export function requestHash(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method} ${path}\n${body}`).digest('base64url');
}

/** Claims a key with one insert; a second claimant learns what the first did. */
export async function claimIdempotencyKey(db: Db, clientId: string, key: string, hash: string): Promise<IdempotencyClaim> {
  const inserted = await db.insert(idempotencyKeys).values({ clientId, key, requestHash: hash, state: 'in_flight' }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted.length === 1) return { kind: 'new' };
  const [existing] = await db
    .select({ hash: idempotencyKeys.requestHash, state: idempotencyKeys.state, status: idempotencyKeys.responseStatus, body: idempotencyKeys.responseBody })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
  if (!existing || existing.hash !== hash) return { kind: 'conflict' };
  if (existing.state !== 'done' || existing.status === null || !existing.body) return { kind: 'in_flight' };
  return { kind: 'replay', status: existing.status, body: existing.body };
}

/** Stores the response exactly as it is sent (`body` is the serialised JSON): a replay returns the same bytes. */
export async function completeIdempotencyKey(db: Pick<Db, 'update'>, clientId: string, key: string, status: number, body: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
}

/** A request that failed before doing anything releases its key, so it can be retried. */
export async function releaseIdempotencyKey(db: Db, clientId: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
}
