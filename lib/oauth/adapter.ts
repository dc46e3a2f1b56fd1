import { AsyncLocalStorage } from 'node:async_hooks';
import { hash } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { preparedPerDb, type Db } from '@/lib/db/connect';
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
// The adapter's statements, built and prepared once per database handle: a refresh grant runs
// several of them, and building a statement with drizzle costs more than the key lookup itself.
// Times travel as ISO text (drizzle's postgres-js driver does not serialise Dates in parameters).
const placeholder = sql.placeholder;
const liveAt = sql`${placeholder('now')}::timestamptz`;
const recordFields = { payload: oauthRecords.payload, consumedAt: oauthRecords.consumedAt };
const live = or(isNull(oauthRecords.expiresAt), gt(oauthRecords.expiresAt, liveAt));

const findById = preparedPerDb((db) =>
  db
    .select(recordFields)
    .from(oauthRecords)
    .where(and(eq(oauthRecords.model, placeholder('model')), eq(oauthRecords.id, placeholder('key')), live))
    .limit(1)
    .prepare('renkei_oauth_find'),
);

const upsertRecord = preparedPerDb((db) =>
  db
    .insert(oauthRecords)
    .values({
      model: placeholder('model'),
      id: placeholder('key'),
      payload: placeholder('payload'),
      grantId: placeholder('grantId'),
      uid: placeholder('uid'),
      userCode: placeholder('userCode'),
      expiresAt: sql`${placeholder('expiresAt')}::timestamptz`,
    })
    .onConflictDoUpdate({
      target: [oauthRecords.model, oauthRecords.id],
      set: {
        payload: sql`excluded.payload`,
        grantId: sql`excluded.grant_id`,
        uid: sql`excluded.uid`,
        userCode: sql`excluded.user_code`,
        expiresAt: sql`excluded.expires_at`,
      },
    })
    .prepare('renkei_oauth_upsert'),
);

const consumeRecord = preparedPerDb((db) =>
  db
    .update(oauthRecords)
    .set({ consumedAt: liveAt })
    .where(and(eq(oauthRecords.model, placeholder('model')), eq(oauthRecords.id, placeholder('key')), isNull(oauthRecords.consumedAt)))
    .returning({ id: oauthRecords.id })
    .prepare('renkei_oauth_consume'),
);

const findProvider = preparedPerDb((db) =>
  db
    .select({ metadata: providers.clientMetadata, status: providers.status, inactivityDays: providers.inactivityDays })
    .from(providers)
    .where(eq(providers.clientId, placeholder('clientId')))
    .limit(1)
    .prepare('renkei_oauth_client'),
);

/**
 * A replay record (a client assertion's or a DPoP proof's `jti`) claimed in one statement: it is
 * written unless a live one exists, and the answer says which. Two requests carrying the same
 * `jti` at the same moment cannot both pass, as they could with a read and then a write.
 */
const claimReplay = preparedPerDb((db) =>
  db
    .insert(oauthRecords)
    .values({ model: 'ReplayDetection', id: placeholder('key'), payload: placeholder('payload'), expiresAt: sql`${placeholder('expiresAt')}::timestamptz` })
    .onConflictDoUpdate({
      target: [oauthRecords.model, oauthRecords.id],
      set: { payload: sql`excluded.payload`, expiresAt: sql`excluded.expires_at`, consumedAt: sql`null` },
      setWhere: lt(oauthRecords.expiresAt, liveAt),
    })
    .returning({ id: oauthRecords.id })
    .prepare('renkei_oauth_claim_replay'),
);

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
      await upsertRecord(db).execute({
        model: this.model,
        key: id,
        payload: payload as Record<string, unknown>,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      });
    }

    private async findWhere(condition: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
      const db = await getDb();
      const [row] = await db
        .select(recordFields)
        .from(oauthRecords)
        .where(and(eq(oauthRecords.model, this.model), condition, or(isNull(oauthRecords.expiresAt), gt(oauthRecords.expiresAt, new Date()))))
        .limit(1);
      return row ? storedPayload(row.payload, row.consumedAt) : undefined;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const ready = prefetched.getStore();
      if (ready && ready.model === this.model && ready.id === id) return ready.payload;
      if (id.includes('\u0000')) return undefined; // no such record; PostgreSQL's text cannot hold a NUL
      const db = await getDb();
      if (this.model === 'Client') return findClient(db, id);
      const [row] = await findById(db).execute({ model: this.model, key: id, now: new Date().toISOString() });
      return row ? storedPayload(row.payload, row.consumedAt) : undefined;
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
      const consumed = await consumeRecord(db).execute({ model: this.model, key: id, now: new Date().toISOString() });
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

/**
 * oidc-provider's replay check (`ReplayDetection.unique`: is this `jti` from this issuer new?) as
 * one atomic statement. The library reads the record and then writes it, two round trips on
 * every token request (one for the client assertion, one for the DPoP proof) and a window in
 * which two parallel requests with the same `jti` both pass. Same contract: true when the `jti`
 * was not seen before (or its record has expired), and it is now recorded until `exp`.
 */
export function installAtomicReplayDetection(replayDetection: { unique: (iss: string, jti: string, exp: number) => Promise<boolean> }, getDb: () => Promise<Db>): void {
  replayDetection.unique = async (iss, jti, exp) => {
    const key = hash('sha256', `${iss}${jti}`, 'base64url'); // oidc-provider's own record id
    const now = Date.now();
    const claimed = await claimReplay(await getDb()).execute({
      key,
      payload: { jti: key, iss, iat: Math.floor(now / 1000), exp, kind: 'ReplayDetection' },
      expiresAt: new Date(exp * 1000).toISOString(),
      now: new Date(now).toISOString(),
    });
    return claimed.length > 0;
  };
}

async function findClient(db: Db, clientId: string): Promise<AdapterPayload | undefined> {
  const [row] = await findProvider(db).execute({ clientId });
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
