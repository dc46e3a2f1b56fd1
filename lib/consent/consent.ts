import { and, asc, eq } from 'drizzle-orm';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { accounts, chainedConnections, consentDecisions, linkAccounts, linkItems, links, providers } from '@/lib/db/schema';
import { maskAccountNumber, type AccountType } from '@/lib/domain/accounts';
import { DomainError } from '@/lib/domain/link-rules';
import { computeExpiresAt, hasBankHold, type LinkStatus } from '@/lib/domain/link-status';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';
import { establishLink } from '@/lib/links/lifecycle';
import { grantLink, type GrantAction, type GrantRequest } from '@/lib/oauth/grant-management';
import { itemsFromScope } from '@/lib/oauth/scopes';
import { getTermsOverview } from '@/lib/terms/queries';

export type ConsentContextDTO = {
  provider: {
    id: string;
    nameJa: string;
    nameEn: string;
    legalNameJa: string;
    legalNameEn: string;
    registrationNumber: string;
    /** 利用目的 (issue 14 §1), shown above the items. */
    purposeJa: string;
    purposeEn: string;
    inactivityDays: number;
  };
  /** Art. 3.1: what the provider asked for AND is registered as needing. */
  offeredItems: PermissionItem[];
  /** Asked for but not registered: shown as not available, never granted. */
  notPermittedItems: PermissionItem[];
  chainedConnections: { id: string; name: string; purposeJa: string; purposeEn: string; items: PermissionItem[] }[];
  accounts: { id: string; type: AccountType; branchName: string; maskedNumber: string }[];
  existingLinkStatus: LinkStatus | null;
  /**
   * Grant Management: the provider asks to update (add to) or replace the link it holds. What the
   * link grants now, so the screen can show what stays, what is added and what would stop.
   */
  grantChange: { action: Exclude<GrantAction, 'create'>; currentItems: PermissionItem[]; currentAccountIds: string[]; linkItems: PermissionItem[] } | null;
  terms: { id: string; revisedOn: string; effectiveFrom: Date } | null;
};

export type ConsentBlocker = 'provider_unavailable' | 'link_suspended' | 'nothing_to_grant' | 'grant_not_found';

/** What the consent screen shows the acting customer for one provider's request. */
export async function getConsentContext(
  db: Executor,
  principal: CustomerPrincipal,
  clientId: string,
  scope: string,
  now: Date = new Date(),
  grant: GrantRequest = { action: 'create', grantId: null },
): Promise<{ context: ConsentContextDTO | null; blocker: ConsentBlocker | null }> {
  const [provider] = await db
    .select({
      id: providers.id,
      nameJa: providers.nameJa,
      nameEn: providers.nameEn,
      legalNameJa: providers.legalNameJa,
      legalNameEn: providers.legalNameEn,
      registrationNumber: providers.registrationNumber,
      purposeJa: providers.purposeJa,
      purposeEn: providers.purposeEn,
      inactivityDays: providers.inactivityDays,
      permittedItems: providers.permittedItems,
      status: providers.status,
    })
    .from(providers)
    .where(eq(providers.clientId, clientId));
  if (!provider || provider.status !== 'active') return { context: null, blocker: 'provider_unavailable' };
  const requested = itemsFromScope(scope);
  // update/replace: the link behind the grant must be this customer's with this provider, and live.
  const grantChange = grant.grantId && grant.action !== 'create' ? await currentGrant(db, clientId, grant.grantId, principal.customerId, grant.action) : null;
  if (grant.grantId && !grantChange) return { context: null, blocker: 'grant_not_found' };
  // update asks only for what the link does not grant yet; the rest stays as it is.
  const offeredItems = requested.filter((i) => provider.permittedItems.includes(i) && !(grantChange?.action === 'update' && grantChange.currentItems.includes(i)));
  const notPermittedItems = requested.filter((i) => !provider.permittedItems.includes(i));
  const [chained, accountRows, existing, terms] = await Promise.all([
    db
      .select({ id: chainedConnections.id, name: chainedConnections.name, purposeJa: chainedConnections.purposeJa, purposeEn: chainedConnections.purposeEn, items: chainedConnections.items })
      .from(chainedConnections)
      .where(eq(chainedConnections.providerId, provider.id))
      .orderBy(asc(chainedConnections.since)),
    db
      .select({ id: accounts.id, type: accounts.type, branchName: accounts.branchName, accountNumber: accounts.accountNumber })
      .from(accounts)
      .where(eq(accounts.customerId, principal.customerId))
      .orderBy(asc(accounts.type), asc(accounts.accountNumber)),
    db
      .select({ status: links.status, suspendedVia: links.suspendedVia })
      .from(links)
      .where(and(eq(links.customerId, principal.customerId), eq(links.providerId, provider.id))),
    getTermsOverview(db, now),
  ]);
  const { permittedItems: _p, status: _s, ...providerDto } = provider;
  const context: ConsentContextDTO = {
    provider: providerDto,
    offeredItems,
    notPermittedItems,
    chainedConnections: chained.map((c) => ({ ...c, items: c.items.filter((i) => offeredItems.includes(i)) })).filter((c) => c.items.length > 0),
    accounts: accountRows.map(({ accountNumber, ...a }) => ({ ...a, maskedNumber: maskAccountNumber(accountNumber) })),
    existingLinkStatus: existing[0]?.status ?? null,
    grantChange,
    terms: terms.inForce ? { id: terms.inForce.id, revisedOn: terms.inForce.revisedOn, effectiveFrom: terms.inForce.effectiveFrom } : null,
  };
  // The bank's suspension (Art. 5.2) is not lifted by a new consent, nor by stopping the link first.
  if (existing[0] && hasBankHold(existing[0])) return { context, blocker: 'link_suspended' };
  if (offeredItems.length === 0) return { context, blocker: 'nothing_to_grant' };
  return { context, blocker: null };
}

async function currentGrant(db: Executor, clientId: string, grantId: string, customerId: string, action: Exclude<GrantAction, 'create'>): Promise<ConsentContextDTO['grantChange']> {
  const link = await grantLink(db, clientId, grantId, customerId);
  if (!link) return null;
  const [items, accountRows] = await Promise.all([
    db.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, link.id)),
    db.select({ id: linkAccounts.accountId }).from(linkAccounts).where(eq(linkAccounts.linkId, link.id)),
  ]);
  // In the catalogue's order (SPEC §3), whatever order the database returns the rows in.
  const inOrder = (list: PermissionItem[]) => PERMISSION_ITEM_IDS.filter((id) => list.includes(id));
  return {
    action,
    currentItems: inOrder(items.filter((i) => i.granted).map((i) => i.item as PermissionItem)),
    currentAccountIds: accountRows.map((a) => a.id),
    linkItems: inOrder(items.map((i) => i.item as PermissionItem)),
  };
}

/** The winning decision's result is saved: concurrent submits of the same consent may go on. */
export async function finishConsentDecision(db: Executor, interactionUid: string, now: Date = new Date()): Promise<void> {
  await db.update(consentDecisions).set({ finishedAt: now }).where(eq(consentDecisions.interactionUid, interactionUid));
}

/**
 * A submit that lost the claim waits (bounded) until the winner has saved the interaction's
 * result: sent on earlier, the browser would reach the authorization server before the result
 * and be asked to consent again, and no code would reach the provider.
 */
export async function awaitConsentDecision(db: Executor, interactionUid: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const [row] = await db.select({ finishedAt: consentDecisions.finishedAt }).from(consentDecisions).where(eq(consentDecisions.interactionUid, interactionUid));
    if (row?.finishedAt) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}

/** Claims the one decision of an interaction; false when it was already decided (double submit). */
export async function claimConsentDecision(db: Executor, interactionUid: string, returnTo: string): Promise<boolean> {
  const inserted = await db.insert(consentDecisions).values({ interactionUid, returnTo }).onConflictDoNothing().returning({ uid: consentDecisions.interactionUid });
  return inserted.length === 1;
}

export type ConsentInput = {
  clientId: string;
  scope: string;
  items: PermissionItem[];
  accountIds: string[];
  grantId: string;
  /** Grant Management: create (the default), or update/replace the grant `grantId` names. */
  grant?: GrantRequest;
};

/**
 * Art. 2.1: the customer consented. Creates the link, or renews the same customer × provider
 * link (history kept, the earlier grant and its tokens revoked), in one transaction.
 */
export async function recordConsent(db: Db, principal: CustomerPrincipal, input: ConsentInput, now: Date = new Date()): Promise<{ linkId: string; renewed: boolean }> {
  return db.transaction(async (tx) => {
    const grant = input.grant ?? { action: 'create', grantId: null };
    const { context, blocker } = await getConsentContext(tx, principal, input.clientId, input.scope, now, grant);
    if (!context || blocker) throw new DomainError('link_not_active', blocker ?? 'provider_unavailable');
    if (!context.terms) throw new Error('No terms version is in force');
    const items = input.items.filter((i) => context.offeredItems.includes(i));
    if (items.length === 0 || items.length !== input.items.length) throw new DomainError('item_not_permitted');
    const ownAccounts = context.accounts.filter((a) => input.accountIds.includes(a.id)).map((a) => a.id);
    if (ownAccounts.length === 0 || ownAccounts.length !== new Set(input.accountIds).size) throw new DomainError('not_found', 'account');

    // update: what the link granted stays, the chosen items are added; replace: exactly the chosen.
    const change = context.grantChange;
    const offeredItems = change?.action === 'update' ? [...new Set([...change.linkItems, ...context.offeredItems])] : context.offeredItems;
    const grantedItems = change?.action === 'update' ? [...new Set([...change.currentItems, ...items])] : items;
    return establishLink(
      tx,
      {
        customerId: principal.customerId,
        providerId: context.provider.id,
        termsVersionId: context.terms.id,
        expiresAt: computeExpiresAt(now, context.provider.inactivityDays),
        grantId: input.grantId,
        offeredItems,
        grantedItems,
        accountIds: ownAccounts,
        grantChange: change ? { action: change.action, before: change.currentItems } : undefined,
      },
      { type: 'customer', id: principal.customerId },
      now,
    );
  });
}

