import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Db } from '@/lib/db/connect';
import { oauthRecords, providers } from '@/lib/db/schema';

type Prefetched = { model: string; id: string; payload: AdapterPayload | undefined };
// On globalThis: Next.js may load this module more than once, and every copy must see the same store.
const globalForAdapter = globalThis as typeof globalThis & { __renkeiPrefetched?: AsyncLocalStorage<Prefetched> };
const prefetched = (globalForAdapter.__renkeiPrefetched ??= new AsyncLocalStorage<Prefetched>());

/** A stored record as oidc-provider expects it: its payload, with `consumed` (epoch seconds) once consumed. */
export function storedPayload(payload: Record<string, unknown>, consumedAt: Date | null): AdapterPayload {
  return { ...payload, ...(consumedAt ? { consumed: Math.floor(consumedAt.getTime() / 1000) } : {}) } as AdapterPayload;
}

/**
 * Runs `fn` (typically `provider.AccessToken.find(id)`) with one record already read by the caller
 * in the same statement as its other checks: the adapter's `find` of that model and id answers
 * with it (undefined = no such live record) instead of reading it again. oidc-provider still
 * validates what it gets (format, iat, exp).
 */
export function withPrefetchedRecord<T>(record: Prefetched, fn: () => Promise<T>): Promise<T> {
  return prefetched.run(record, fn);
}

/**
 * oidc-provider storage on the bank's database (PGlite or PostgreSQL). Clients are not stored
 * here: they are the registered providers, and only an active provider is a client at all, so a
 * suspended or terminated provider fails PAR, token and introspection at once.
 */
export function createAdapterClass(getDb: () => Promise<Db>) {
  return class DrizzleAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const db = await getDb();
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const row = {
        model: this.model,
        id,
        payload: payload as Record<string, unknown>,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt,
      };
      await db
        .insert(oauthRecords)
        .values(row)
        .onConflictDoUpdate({ target: [oauthRecords.model, oauthRecords.id], set: { payload: row.payload, grantId: row.grantId, uid: row.uid, userCode: row.userCode, expiresAt } });
    }

    private async findWhere(condition: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
      const db = await getDb();
      const [row] = await db
        .select({ payload: oauthRecords.payload, consumedAt: oauthRecords.consumedAt })
        .from(oauthRecords)
        .where(and(eq(oauthRecords.model, this.model), condition, or(isNull(oauthRecords.expiresAt), gt(oauthRecords.expiresAt, new Date()))))
        .limit(1);
      return row ? storedPayload(row.payload, row.consumedAt) : undefined;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const ready = prefetched.getStore();
      if (ready && ready.model === this.model && ready.id === id) return ready.payload;
      if (id.includes('\u0000')) return undefined; // no such record; PostgreSQL's text cannot hold a NUL
      if (this.model === 'Client') return findClient(await getDb(), id);
      return this.findWhere(eq(oauthRecords.id, id));
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.findWhere(eq(oauthRecords.uid, uid));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.findWhere(eq(oauthRecords.userCode, userCode));
    }

    /** One conditional update: of two parallel redemptions of a code, exactly one consumes it. */
    async consume(id: string): Promise<void> {
      const db = await getDb();
      const consumed = await db
        .update(oauthRecords)
        .set({ consumedAt: new Date() })
        .where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, id), isNull(oauthRecords.consumedAt)))
        .returning({ id: oauthRecords.id });
      if (consumed.length === 0) {
        if (this.model === 'PushedAuthorizationRequest') throw new errors.InvalidRequestUri('request_uri already used');
        throw new errors.InvalidGrant('grant already consumed');
      }
    }

    async destroy(id: string): Promise<void> {
      const db = await getDb();
      await db.delete(oauthRecords).where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, id)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const db = await getDb();
      await db.delete(oauthRecords).where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.grantId, grantId)));
    }
  };
}

async function findClient(db: Db, clientId: string): Promise<AdapterPayload | undefined> {
  const [row] = await db
    .select({ metadata: providers.clientMetadata, status: providers.status, inactivityDays: providers.inactivityDays })
    .from(providers)
    .where(eq(providers.clientId, clientId))
    .limit(1);
  // Only an active provider registered for OAuth (RFC 7591 metadata with redirect URIs) is a client.
  if (!row || row.status !== 'active' || !Array.isArray(row.metadata.redirect_uris)) return undefined;
  // Every provider may also get a token as itself, for the grant management endpoint (decision 46).
  const grantTypes = Array.isArray(row.metadata.grant_types) ? (row.metadata.grant_types as string[]) : ['authorization_code', 'refresh_token'];
  return {
    ...row.metadata,
    grant_types: [...new Set([...grantTypes, 'client_credentials'])],
    client_id: clientId,
    renkei_inactivity_days: row.inactivityDays,
  } as AdapterPayload;
}

/** Removes expired rows (codes, tokens, DPoP and assertion replay records). */
export async function purgeExpiredOauthRecords(db: Db, now: Date = new Date()): Promise<number> {
  const removed = await db.delete(oauthRecords).where(lt(oauthRecords.expiresAt, now)).returning({ id: oauthRecords.id });
  return removed.length;
}

/** Ends every token, code and the grant itself in the caller's transaction (link stopped). */
export async function revokeGrantRecords(tx: Pick<Db, 'delete'>, grantId: string): Promise<void> {
  await tx.delete(oauthRecords).where(or(eq(oauthRecords.grantId, grantId), and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId))));
}

/**
 * Art. 4: a link in use lives on, and so must what the provider holds for it. Moves the expiry of
 * the link's grant and refresh tokens (the row's and oidc-provider's own `exp`) out to the link's
 * new expiry; never shortens it. Access tokens keep their short lifetime.
 */
export async function extendGrantRecords(tx: Pick<Db, 'update'>, grantId: string, until: Date): Promise<void> {
  const exp = Math.floor(until.getTime() / 1000);
  await tx
    .update(oauthRecords)
    .set({ expiresAt: until, payload: sql`jsonb_set(${oauthRecords.payload}, '{exp}', to_jsonb(${exp}::bigint))` })
    .where(
      and(
        or(and(eq(oauthRecords.model, 'RefreshToken'), eq(oauthRecords.grantId, grantId)), and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId))),
        or(isNull(oauthRecords.expiresAt), lt(oauthRecords.expiresAt, until)),
      ),
    );
}

/**
 * Sets a grant's scope for every resource to exactly the link's granted items (the customer
 * revoked or re-granted an item in the portal): a refresh then yields the narrowed scope.
 */
export async function setGrantScope(tx: Pick<Db, 'select' | 'update'>, grantId: string, scope: string): Promise<void> {
  const [row] = await tx
    .select({ payload: oauthRecords.payload })
    .from(oauthRecords)
    .where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId)));
  if (!row) return;
  const resources = (row.payload.resources ?? {}) as Record<string, string>;
  const next = Object.fromEntries(Object.keys(resources).map((resource) => [resource, scope]));
  await tx
    .update(oauthRecords)
    .set({ payload: { ...row.payload, resources: next } })
    .where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId)));
}
