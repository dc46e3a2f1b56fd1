import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { getDb, initDb } from '@/lib/db';
import type { Db } from '@/lib/db/connect';
import { linkItems, links } from '@/lib/db/schema';
import { computeExpiresAt, effectiveStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { env } from '@/lib/env';
import { extendGrantRecords, withPrefetchedRecord } from '@/lib/oauth/adapter';
import { getOauthProvider } from '@/lib/oauth/provider';
import { itemsFromScope } from '@/lib/oauth/scopes';
import { readCallState, type CallState } from './call-state';
import { DpopError, htuOf, verifyDpopProof } from './dpop';
import { countAccess } from './usage';
import { configuredStore, consumeLimits, decideCounted, LIMIT_WINDOW_MS, limitersFor, limitPoints, rateLimitHeaders } from './rate-limit';
import { setRequestPrincipal } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';
import { notFound, problem } from './problem';
import { maintenanceInForce, retryAfterSeconds } from '@/lib/operations/maintenance';

/**
 * Who is calling, once every check has passed: a live link and the item it may use, and, for a
 * call about one account, that account as the checks read it (in the consent, the customer's).
 */
export type ApiCaller = { db: Db; linkId: string; customerId: string; clientId: string; item: PermissionItem; account: CallState['account'] };

const USAGE_RESOLUTION_MS = 60_000;

function publicUrl(request: Request): URL {
  const url = new URL(request.url);
  if (!env.PUBLIC_ORIGIN) return url;
  const origin = new URL(env.PUBLIC_ORIGIN);
  url.protocol = origin.protocol;
  url.host = origin.host;
  return url;
}

/** Art. 6.1: 503 with Retry-After (seconds to the window's end) during maintenance, else null. */
export async function maintenanceResponse(now: Date = new Date()): Promise<Response | null> {
  const window = await maintenanceInForce(await getDb(), now);
  return window ? maintenanceProblem(window, now) : null;
}

function maintenanceProblem(window: { endsAt: Date }, now: Date): Response {
  return problem('maintenance', `The service is under maintenance until ${window.endsAt.toISOString()}.`, {
    headers: { 'Retry-After': String(retryAfterSeconds(window, now)) },
    extra: { maintenance_ends_at: window.endsAt.toISOString() },
  });
}

/** A refusal decided before the call's state is read: during maintenance the 503 still comes first. */
async function refuseUnlessMaintenance(...args: Parameters<typeof problem>): Promise<Response> {
  return (await maintenanceResponse()) ?? problem(...args);
}

/**
 * Every provider API call, in this order, nothing cached: DPoP proof (typ, alg, signature, htm,
 * htu, iat, ath, replay), the access token (unknown, expired, revoked), its binding to the proof's
 * key, the link (Art. 4 expiry, suspension, revocation, termination), the item (Art. 3), and, for
 * account resources, that the account is in the consent (else 404, the same as no account).
 * Before all of them, Art. 6.1: inside a maintenance window every call gets 503 + Retry-After
 * (the service is unavailable whoever asks; see docs/decisions.md).
 *
 * The checks that need the database read it in one statement (readCallState): one round trip
 * instead of one per check, evaluated here in the order above.
 */
export async function authorizeApiCall(request: Request, items: PermissionItem[], accountId?: string): Promise<ApiCaller | Response> {
  const authorization = request.headers.get('authorization') ?? '';
  const [scheme, accessToken, ...rest] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'dpop' || !accessToken || rest.length > 0) {
    return refuseUnlessMaintenance('invalid-token', 'Send the access token as `Authorization: DPoP <token>` with a DPoP proof.');
  }
  const proofs = request.headers.get('dpop');
  if (!proofs || proofs.includes(',')) return refuseUnlessMaintenance('invalid-dpop-proof', 'Exactly one DPoP proof is required.');
  const url = publicUrl(request);
  let proof;
  try {
    proof = await verifyDpopProof(proofs, { method: request.method, htu: htuOf(url), accessToken });
  } catch (error) {
    const detail = error instanceof DpopError ? error.message : 'the DPoP proof is invalid';
    return refuseUnlessMaintenance('invalid-dpop-proof', detail);
  }
  const database = await initDb();
  const db = database.db;
  const now = new Date();
  // On PostgreSQL the traffic-limit windows are counted in the check's own statement (one round
  // trip a call, not three); in memory or Redis they are counted below.
  const limiters = await limitersFor(db, configuredStore(database.kind));
  const countInCheck = limiters.kind === 'database';
  const state = await readCallState(db, { accessToken, proofId: `${proof.jkt}:${proof.jti}`, accountId, now, jkt: proof.jkt, limitWindowMs: countInCheck ? LIMIT_WINDOW_MS : 0 });
  if (state.maintenanceEndsAt) return maintenanceProblem({ endsAt: state.maintenanceEndsAt }, now);
  // Replay: each proof is accepted once (the record expires after the iat window).
  if (!state.proofFresh) return problem('invalid-dpop-proof', 'This DPoP proof was already used.');

  const provider = await getOauthProvider(url.origin);
  const token = await withPrefetchedRecord({ model: 'AccessToken', id: accessToken, payload: state.token }, () => provider.AccessToken.find(accessToken));
  if (!token || token.isExpired) return problem('invalid-token', 'The access token is unknown, expired or revoked.');
  if (token.jkt !== proof.jkt) return problem('invalid-token', 'The access token is not bound to this DPoP key.');

  setRequestPrincipal(`provider:${token.clientId ?? 'unknown'}`);

  const { link } = state;
  if (!link) return problem('invalid-token', 'The link behind this token no longer exists.');
  // Traffic limits (Art. 6), per provider and per link, before any other work for the call.
  const limits =
    countInCheck && state.limits
      ? decideCounted(limiters, state.limits)
      : await consumeLimits(
          limiters,
          [
            { name: 'provider', key: token.clientId ?? 'unknown' },
            { name: 'link', key: link.id },
          ],
          (error) => log('rate-limit').warn({ err: error }, 'the traffic-limit store failed; the call was let through'),
        );
  rateLimitHeaders.set(request, limits.headers);
  if (!limits.allowed) {
    return problem('rate-limited', `Over the ${limits.limit === 'link' ? 'per-link' : 'per-provider'} limit of ${limitPoints(limits.limit)} calls a second; retry after ${limits.retryAfterS} s.`, {
      headers: limits.headers,
      extra: { limit: limits.limit },
    });
  }
  // A suspended or terminated provider is refused at once, whatever tokens it still holds.
  if (link.providerStatus !== 'active') {
    return problem('provider-not-active', `The provider is ${link.providerStatus}.`);
  }
  const status = effectiveStatus(link, now);
  if (status !== 'active') {
    return problem('link-not-active', `The link is ${status}.`, { extra: { link_status: status } });
  }
  const tokenItems = itemsFromScope(token.scope);
  const granted = state.granted;
  const item = items.find((i) => tokenItems.includes(i) && granted.some((g) => g.item === i));
  if (!item) return problem('insufficient-scope', `This call needs one of: ${items.join(', ')}.`);
  if (accountId && !state.accountInConsent) return notFound();
  const itemLastUsedAt = granted.find((g) => g.item === item)?.lastUsedAt ?? null;
  await recordUsage(db, { linkId: link.id, grantId: token.grantId ?? null, item, inactivityDays: link.inactivityDays, linkLastUsedAt: link.lastUsedAt, itemLastUsedAt }, now);
  countAccess(db, link.id, item, now);
  return { db, linkId: link.id, customerId: link.customerId, clientId: token.clientId ?? '', item, account: accountId ? state.account : null };
}

/**
 * Art. 4: last use extends the link, and with it the grant and refresh tokens the provider holds
 * (so a link in steady use never needs a new consent). Written at most once a minute per link and
 * per item: the times just read decide whether a write is due (no round trip when it is not), and
 * the update's own condition keeps concurrent calls from writing twice.
 */
async function recordUsage(
  db: Db,
  use: { linkId: string; grantId: string | null; item: PermissionItem; inactivityDays: number; linkLastUsedAt: Date | null; itemLastUsedAt: Date | null },
  now: Date,
): Promise<void> {
  const stale = new Date(now.getTime() - USAGE_RESOLUTION_MS);
  const due = (at: Date | null) => at === null || at.getTime() < stale.getTime();
  if (due(use.linkLastUsedAt)) {
    const expiresAt = computeExpiresAt(now, use.inactivityDays);
    await db.transaction(async (tx) => {
      const extended = await tx
        .update(links)
        .set({ lastUsedAt: now, expiresAt })
        .where(and(eq(links.id, use.linkId), or(isNull(links.lastUsedAt), lt(links.lastUsedAt, stale))))
        .returning({ id: links.id });
      if (extended.length === 1 && use.grantId) await extendGrantRecords(tx, use.grantId, expiresAt);
    });
  }
  if (due(use.itemLastUsedAt)) {
    await db
      .update(linkItems)
      .set({ lastUsedAt: now })
      .where(and(eq(linkItems.linkId, use.linkId), eq(linkItems.item, use.item), or(isNull(linkItems.lastUsedAt), lt(linkItems.lastUsedAt, stale))));
  }
}

