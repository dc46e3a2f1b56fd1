import { and, asc, desc, eq, notInArray } from 'drizzle-orm';
import type { Db, Executor } from '@/lib/db/connect';
import { linkAccounts, linkHistory, linkItems, links, providers } from '@/lib/db/schema';
import { effectiveStatus, ENDED_STATUSES, type LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { changeLink, lockLinks } from '@/lib/links/lifecycle';
import { scopeFromItems } from './scopes';

// FAPI Grant Management for OAuth 2.0 (draft 02; docs/providers.md "Grant Management"), built on the
// link rather than inside oidc-provider (panva/node-oidc-provider#652): the grant a provider's
// tokens carry IS the customer's link with it. Its `grant_id` is returned in every token response,
// stays the same when the provider asks to update or replace it, and is what the provider queries
// (GET) or revokes (DELETE) at `<issuer>/grants/<grant_id>`. A new consent without a grant_id
// (`create`) on a link that already exists renews it under a new grant_id; the old one is gone.

/** The actions a PAR may ask for. `merge` is draft 01's name for `update`, accepted as the same. */
export const GRANT_ACTIONS = ['create', 'update', 'replace'] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

/** Advertised in discovery (`grant_management_actions_supported`). */
export const GRANT_MANAGEMENT_ACTIONS_SUPPORTED = ['create', 'update', 'merge', 'replace', 'query', 'revoke'] as const;

/** The scopes of a management token (client credentials, DPoP-bound). */
export const GRANT_MANAGEMENT_SCOPES = ['grant_management_query', 'grant_management_revoke'] as const;

/** The grant management endpoint, and the audience of the tokens it accepts. */
export function grantsEndpoint(origin: string): string {
  return `${origin}/oauth/grants`;
}

export type GrantRequest = { action: GrantAction; grantId: string | null };

export class GrantRequestError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant_id',
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * The two authorization request parameters, checked as the draft says (§ Authorization Error
 * Response): no action = `create`; `grant_id` with `create`, or without an action, or an action
 * other than these = invalid_request; `update`/`replace` need a grant_id.
 */
export function parseGrantRequest(params: { grant_id?: unknown; grant_management_action?: unknown }): GrantRequest {
  const rawAction = params.grant_management_action;
  const rawGrantId = params.grant_id;
  const grantId = typeof rawGrantId === 'string' && rawGrantId !== '' ? rawGrantId : null;
  if (rawGrantId !== undefined && typeof rawGrantId !== 'string') throw new GrantRequestError('invalid_request', 'grant_id must be a string');
  if (rawAction === undefined || rawAction === '') {
    if (grantId) throw new GrantRequestError('invalid_request', 'grant_id needs grant_management_action update or replace');
    return { action: 'create', grantId: null };
  }
  if (typeof rawAction !== 'string') throw new GrantRequestError('invalid_request', 'grant_management_action must be a string');
  const action = rawAction === 'merge' ? 'update' : rawAction;
  if (!(GRANT_ACTIONS as readonly string[]).includes(action)) {
    throw new GrantRequestError('invalid_request', `grant_management_action ${JSON.stringify(rawAction.slice(0, 40))} is not supported (create, update, merge, replace)`);
  }
  if (action === 'create') {
    if (grantId) throw new GrantRequestError('invalid_request', 'grant_id must not be sent with grant_management_action=create');
    return { action, grantId: null };
  }
  if (!grantId) throw new GrantRequestError('invalid_request', `grant_management_action=${rawAction} needs a grant_id`);
  return { action: action as GrantAction, grantId };
}

/**
 * The live link behind a grant, if it is this provider's: the one check for PAR (invalid_grant_id),
 * the consent screen (and there also the customer's) and the management endpoint (404). A stopped,
 * ended or expired link has no grant any more.
 */
export async function grantLink(db: Executor, clientId: string, grantId: string, customerId?: string): Promise<{ id: string; customerId: string } | null> {
  if (grantId.length > 200 || grantId.includes('\u0000')) return null;
  const [row] = await db
    .select({ id: links.id, customerId: links.customerId })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(links.grantId, grantId), eq(providers.clientId, clientId), notInArray(links.status, [...ENDED_STATUSES]), customerId ? eq(links.customerId, customerId) : undefined))
    .limit(1);
  return row ?? null;
}

/** At PAR: the request's grant parameters, with the grant looked up for update/replace. */
export async function checkGrantRequest(db: Executor, clientId: string, params: { grant_id?: unknown; grant_management_action?: unknown }): Promise<GrantRequest> {
  const request = parseGrantRequest(params);
  if (request.grantId && !(await grantLink(db, clientId, request.grantId))) {
    throw new GrantRequestError('invalid_grant_id', 'The grant_id is unknown, has ended, or is not this client’s');
  }
  return request;
}

/** GET <issuer>/grants/<grant_id>: what the grant allows now (draft § Query Status of a Grant). */
export type GrantStatusDTO = {
  grant_id: string;
  /** The link's status as the API enforces it (an extension: active, suspended). */
  status: LinkStatus;
  scopes: { scope: string; resource: string[] }[];
  /** The accounts in the consent (an extension: the ids the API's /accounts returns). */
  accounts: { account_id: string }[];
  created_at: string;
  last_updated: string;
  expires_at: string;
};

export async function queryGrant(db: Db, clientId: string, grantId: string, apiResource: string, now: Date = new Date()): Promise<GrantStatusDTO | null> {
  const link = await grantLink(db, clientId, grantId);
  if (!link) return null;
  const [[row], items, accounts, [latest]] = await Promise.all([
    db.select({ status: links.status, expiresAt: links.expiresAt, consentedAt: links.consentedAt }).from(links).where(eq(links.id, link.id)),
    db.select({ item: linkItems.item }).from(linkItems).where(and(eq(linkItems.linkId, link.id), eq(linkItems.granted, true))),
    db.select({ id: linkAccounts.accountId }).from(linkAccounts).where(eq(linkAccounts.linkId, link.id)).orderBy(asc(linkAccounts.accountId)),
    db.select({ at: linkHistory.at }).from(linkHistory).where(eq(linkHistory.linkId, link.id)).orderBy(desc(linkHistory.at)).limit(1),
  ]);
  if (!row) return null;
  const scope = scopeFromItems(items.map((i) => i.item as PermissionItem));
  return {
    grant_id: grantId,
    status: effectiveStatus(row, now),
    scopes: scope ? [{ scope, resource: [apiResource] }] : [],
    accounts: accounts.map((a) => ({ account_id: a.id })),
    created_at: row.consentedAt.toISOString(),
    last_updated: (latest && latest.at > row.consentedAt ? latest.at : row.consentedAt).toISOString(),
    expires_at: row.expiresAt.toISOString(),
  };
}

/**
 * DELETE <issuer>/grants/<grant_id>: the provider ends the grant, which stops the link exactly as
 * its token revocation does (Art. 5.1): the history, the receipt, the event, every token gone.
 * False when the grant is not this provider's live grant (404, as for an unknown one).
 */
export async function revokeGrant(db: Db, clientId: string, grantId: string, now: Date = new Date()): Promise<boolean> {
  if (grantId.length > 200 || grantId.includes('\u0000')) return false;
  return db.transaction(async (tx) => {
    // One locked read: this client's live link behind the grant (another's, or an ended one, is none).
    const [link] = await lockLinks(tx, and(eq(links.grantId, grantId), eq(providers.clientId, clientId), notInArray(links.status, [...ENDED_STATUSES])));
    if (!link) return false;
    await changeLink(tx, link, { kind: 'stop', via: 'provider' }, { type: 'provider', id: clientId }, now);
    return true;
  });
}
