import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { accounts, chainedConnections, consentDecisions, linkAccounts, linkHistory, linkItems, links, providers } from '@/lib/db/schema';
import { maskAccountNumber, type AccountType } from '@/lib/domain/accounts';
import { DomainError } from '@/lib/domain/link-rules';
import { computeExpiresAt, hasBankHold, type LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { revokeGrantRecords } from '@/lib/oauth/adapter';
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
    inactivityDays: number;
  };
  /** Art. 3.1: what the provider asked for AND is registered as needing. */
  offeredItems: PermissionItem[];
  /** Asked for but not registered: shown as not available, never granted. */
  notPermittedItems: PermissionItem[];
  chainedConnections: { id: string; name: string; purposeJa: string; purposeEn: string; items: PermissionItem[] }[];
  accounts: { id: string; type: AccountType; branchName: string; maskedNumber: string }[];
  existingLinkStatus: LinkStatus | null;
  terms: { id: string; revisedOn: string; effectiveFrom: Date } | null;
};

export type ConsentBlocker = 'provider_unavailable' | 'link_suspended' | 'nothing_to_grant';

/** What the consent screen shows the acting customer for one provider's request. */
export async function getConsentContext(
  db: Executor,
  principal: CustomerPrincipal,
  clientId: string,
  scope: string,
  now: Date = new Date(),
): Promise<{ context: ConsentContextDTO | null; blocker: ConsentBlocker | null }> {
  const [provider] = await db
    .select({
      id: providers.id,
      nameJa: providers.nameJa,
      nameEn: providers.nameEn,
      legalNameJa: providers.legalNameJa,
      legalNameEn: providers.legalNameEn,
      registrationNumber: providers.registrationNumber,
      inactivityDays: providers.inactivityDays,
      permittedItems: providers.permittedItems,
      status: providers.status,
    })
    .from(providers)
    .where(eq(providers.clientId, clientId));
  if (!provider || provider.status !== 'active') return { context: null, blocker: 'provider_unavailable' };
  const requested = itemsFromScope(scope);
  const offeredItems = requested.filter((i) => provider.permittedItems.includes(i));
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
    terms: terms.inForce ? { id: terms.inForce.id, revisedOn: terms.inForce.revisedOn, effectiveFrom: terms.inForce.effectiveFrom } : null,
  };
  // The bank's suspension (Art. 5.2) is not lifted by a new consent, nor by stopping the link first.
  if (existing[0] && hasBankHold(existing[0])) return { context, blocker: 'link_suspended' };
  if (offeredItems.length === 0) return { context, blocker: 'nothing_to_grant' };
  return { context, blocker: null };
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
};

/**
 * Art. 2.1: the customer consented. Creates the link, or renews the same customer × provider
 * link (history kept, the earlier grant and its tokens revoked), in one transaction.
 */
export async function recordConsent(db: Db, principal: CustomerPrincipal, input: ConsentInput, now: Date = new Date()): Promise<{ linkId: string; renewed: boolean }> {
  return db.transaction(async (tx) => {
    const { context, blocker } = await getConsentContext(tx, principal, input.clientId, input.scope, now);
    if (!context || blocker) throw new DomainError('link_not_active', blocker ?? 'provider_unavailable');
    if (!context.terms) throw new Error('No terms version is in force');
    const items = input.items.filter((i) => context.offeredItems.includes(i));
    if (items.length === 0 || items.length !== input.items.length) throw new DomainError('item_not_permitted');
    const ownAccounts = context.accounts.filter((a) => input.accountIds.includes(a.id)).map((a) => a.id);
    if (ownAccounts.length === 0 || ownAccounts.length !== new Set(input.accountIds).size) throw new DomainError('not_found', 'account');

    const expiresAt = computeExpiresAt(now, context.provider.inactivityDays);
    const [existing] = await tx
      .select({ id: links.id, status: links.status, suspendedVia: links.suspendedVia, grantId: links.grantId })
      .from(links)
      .where(and(eq(links.customerId, principal.customerId), eq(links.providerId, context.provider.id)))
      .for('update');
    let linkId: string;
    if (existing) {
      if (hasBankHold(existing)) throw new DomainError('link_not_active', 'link_suspended');
      if (existing.grantId) await revokeGrantRecords(tx, existing.grantId);
      await tx
        .update(links)
        .set({
          status: 'active',
          suspensionReason: null,
          suspensionNote: null,
          suspendedVia: null,
          termsVersionId: context.terms.id,
          consentedAt: now,
          lastUsedAt: null,
          expiresAt,
          statusChangedAt: now,
          grantId: input.grantId,
          version: sql`${links.version} + 1`,
        })
        .where(eq(links.id, existing.id));
      linkId = existing.id;
    } else {
      const [created] = await tx
        .insert(links)
        .values({ customerId: principal.customerId, providerId: context.provider.id, status: 'active', termsVersionId: context.terms.id, consentedAt: now, expiresAt, statusChangedAt: now, grantId: input.grantId })
        .returning({ id: links.id });
      if (!created) throw new Error('link insert failed');
      linkId = created.id;
    }
    // The items of this consent: what was offered, granted as the customer chose.
    await tx.delete(linkItems).where(and(eq(linkItems.linkId, linkId), notInArray(linkItems.item, context.offeredItems)));
    for (const item of context.offeredItems) {
      const granted = items.includes(item);
      await tx
        .insert(linkItems)
        .values({ linkId, item, granted, grantedAt: granted ? now : null, revokedAt: null })
        .onConflictDoUpdate({ target: [linkItems.linkId, linkItems.item], set: { granted, grantedAt: granted ? now : null, revokedAt: granted ? null : now } });
    }
    await tx.delete(linkAccounts).where(eq(linkAccounts.linkId, linkId));
    await tx.insert(linkAccounts).values(ownAccounts.map((accountId) => ({ linkId, accountId })));
    await tx.insert(linkHistory).values({
      linkId,
      at: now,
      actorType: 'customer',
      actorId: principal.customerId,
      event: existing ? 'consent_renewed' : 'consent_given',
      detail: { items, declined: context.offeredItems.filter((i) => !items.includes(i)), accounts: ownAccounts.length, termsVersion: context.terms.id },
    });
    return { linkId, renewed: Boolean(existing) };
  });
}

