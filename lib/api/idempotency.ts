import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { idempotencyKeys } from '@/lib/db/schema';

/** A key this request holds: `claimId` tells its claim from a later one that took the key over. */
export type HeldKey = { key: string; claimId: string };

export type IdempotencyClaim =
  | { kind: 'new'; held: HeldKey }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'conflict' } // same key, another body → 422
  | { kind: 'in_flight' }; // same key, still being processed → 409

/**
 * Seconds after which a claim still in flight is taken over by the next request with the same key
 * and body: the instance that claimed it died (kill -9, a lost host) or lost the database between
 * the claim and its instruction, and the key would otherwise answer 409 for ever. Safe however
 * late the first one still is: a claim is completed only in the instruction's own transaction and
 * only while it is still the key's claim (completeIdempotencyKey), so at most one of the two
 * commits its effect, and the other rolls back and answers as a replay.
 */
export const IN_FLIGHT_TAKEOVER_S = 15;

/** Thrown inside an instruction's transaction when its key was taken over: the transaction rolls back. */
export class IdempotencyClaimLost extends Error {
  constructor() {
    super('the Idempotency-Key was taken over by a later request');
  }
}

export function requestHash(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method} ${path}\n${body}`).digest('base64url');
}

/**
 * Claims a key with one statement; a second claimant learns what the first did. A claim in flight
 * for longer than IN_FLIGHT_TAKEOVER_S with the same request is taken over (a new claim id).
 */
export async function claimIdempotencyKey(db: Db, clientId: string, key: string, hash: string): Promise<IdempotencyClaim> {
  const claimId = randomUUID();
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ clientId, key, requestHash: hash, state: 'in_flight', claimId })
    .onConflictDoUpdate({
      target: [idempotencyKeys.clientId, idempotencyKeys.key],
      set: { claimId, createdAt: sql`now()` },
      setWhere: sql`${idempotencyKeys.state} = 'in_flight' and ${idempotencyKeys.requestHash} = ${hash}
        and ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${IN_FLIGHT_TAKEOVER_S})`,
    })
    .returning({ claimId: idempotencyKeys.claimId });
  if (inserted.length === 1 && inserted[0]!.claimId === claimId) return { kind: 'new', held: { key, claimId } };
  const [existing] = await db
    .select({ hash: idempotencyKeys.requestHash, state: idempotencyKeys.state, status: idempotencyKeys.responseStatus, body: idempotencyKeys.responseBody })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, key)));
  if (!existing || existing.hash !== hash) return { kind: 'conflict' };
  if (existing.state !== 'done' || existing.status === null || !existing.body) return { kind: 'in_flight' };
  return { kind: 'replay', status: existing.status, body: existing.body };
}

/**
 * Stores the response exactly as it is sent (`body` is the serialised JSON): a replay returns the
 * same bytes. Called in the instruction's transaction; throws IdempotencyClaimLost (so the
 * transaction and its effect roll back) when the key is no longer this claim's.
 */
export async function completeIdempotencyKey(db: Pick<Db, 'update'>, clientId: string, held: HeldKey, status: number, body: string): Promise<void> {
  const done = await db
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, held.key), eq(idempotencyKeys.claimId, held.claimId), eq(idempotencyKeys.state, 'in_flight')))
    .returning({ key: idempotencyKeys.key });
  if (done.length !== 1) throw new IdempotencyClaimLost();
}

/** A request that failed before doing anything releases its key (if it still holds it), so it can be retried. */
export async function releaseIdempotencyKey(db: Db, clientId: string, held: HeldKey): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.clientId, clientId), eq(idempotencyKeys.key, held.key), eq(idempotencyKeys.claimId, held.claimId), eq(idempotencyKeys.state, 'in_flight')));
}
