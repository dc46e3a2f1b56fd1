import { eq } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { linkAccounts, linkHistory, linkItems, links, providers } from '@/lib/db/schema';
import { computeExpiresAt, type LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';

// The sandbox's `demo50` (issue 14): fifty links, to find, filter and sort among, and the 50-link
// dashboard of `npm run bench` (and one more, ended past the two-year record, for the archive), with made-up providers of its own (client ids
// `sandbox-directory-NN`; they have no OAuth client, so they cannot be linked anew), so that the
// other sandbox users' providers and their counts stay as they were.
// Fixture data, written directly like the rest of the seed.

const DAY = 24 * 60 * 60 * 1000;
const PREFIXES = [
  ['あおば', 'Aoba'],
  ['さくら', 'Sakura'],
  ['みどり', 'Midori'],
  ['ひかり', 'Hikari'],
  ['こはる', 'Koharu'],
] as const;
const KINDS: { ja: string; en: string; items: PermissionItem[] }[] = [
  { ja: '家計簿', en: 'Budget', items: ['balances', 'statements'] },
  { ja: '会計クラウド', en: 'Accounting Cloud', items: ['balances', 'statements', 'payees'] },
  { ja: '資産ノート', en: 'Wealth Notes', items: ['balances'] },
  { ja: '経費精算', en: 'Expenses', items: ['statements', 'transfers'] },
  { ja: '請求書払い', en: 'Invoice Pay', items: ['payees', 'transfers'] },
  { ja: 'ポイント', en: 'Points', items: ['statements'] },
  { ja: '家族予算', en: 'Family Budget', items: ['balances', 'statements'] },
  { ja: '投資メモ', en: 'Invest Memo', items: ['balances'] },
  { ja: 'サブスク管理', en: 'Subscriptions', items: ['statements', 'direct_debit_applications'] },
  { ja: 'かんたん送金', en: 'Easy Remit', items: ['balances', 'transfers'] },
  { ja: '口座振替', en: 'Direct Debit', items: ['direct_debit_applications', 'direct_debit_transfers'] },
];

export const MANY_LINKS = 50;

/** Fills `customerId`'s fifty links: with `existing` providers first (none in the sandbox), then made-up ones. */
export async function seedManyLinks(db: Executor, customerId: string, ordinaryAccountId: string, existing: { id: string; inactivityDays: number; permittedItems: PermissionItem[] }[], now: Date): Promise<void> {
  const targets = [...existing];
  for (let n = 1; targets.length < MANY_LINKS; n++) {
    const kind = KINDS[(n - 1) % KINDS.length]!;
    const prefix = PREFIXES[Math.floor((n - 1) / KINDS.length) % PREFIXES.length]!;
    const clientId = `sandbox-directory-${String(n).padStart(2, '0')}`;
    await db
      .insert(providers)
      .values({
        clientId,
        nameJa: `${prefix[0]}${kind.ja}`,
        nameEn: `${prefix[1]} ${kind.en}`,
        legalNameJa: `株式会社${prefix[0]}フィンテック${n}`,
        legalNameEn: `${prefix[1]} Fintech ${n} K.K.`,
        registrationNumber: `関東財務局長（電代）第${100 + n}号`,
        purposeJa: `${kind.ja}サービスの提供（サンドボックスの架空の事業者）`,
        purposeEn: `Providing the ${kind.en} service (a made-up sandbox provider)`,
        permittedItems: kind.items,
        inactivityDays: 90,
        status: 'active',
      })
      .onConflictDoNothing();
    const [row] = await db.select({ id: providers.id, inactivityDays: providers.inactivityDays, permittedItems: providers.permittedItems }).from(providers).where(eq(providers.clientId, clientId));
    targets.push(row!);
  }
  for (const [i, provider] of targets.entries()) {
    // Only items the provider is registered for (Art. 3.1).
    const wanted = KINDS[i % KINDS.length]!.items.filter((item) => provider.permittedItems.includes(item));
    const items = wanted.length > 0 ? wanted : provider.permittedItems.slice(0, 2);
    // Mostly in use; some expiring soon, some expired, some stopped by the customer.
    const status: LinkStatus = i % 10 === 9 ? 'expired' : i % 10 === 4 ? 'revoked' : 'active';
    const lastUsedDaysAgo = status === 'expired' ? 95 + i : i % 7 === 3 ? 80 : (i % 20) + 0.2;
    const consentedAt = new Date(now.getTime() - (120 + i * 7) * DAY);
    const lastUsedAt = new Date(now.getTime() - lastUsedDaysAgo * DAY);
    const expiresAt = computeExpiresAt(lastUsedAt, provider.inactivityDays);
    const statusChangedAt = status === 'revoked' ? new Date(now.getTime() - (10 + i) * DAY) : status === 'expired' ? expiresAt : consentedAt;
    const [link] = await db
      .insert(links)
      .values({ customerId, providerId: provider.id, status, termsVersionId: '2020-08-21', consentedAt, lastUsedAt, expiresAt, statusChangedAt })
      .returning({ id: links.id });
    await db.insert(linkItems).values(items.map((item) => ({ linkId: link!.id, item, granted: true, grantedAt: consentedAt, lastUsedAt })));
    await db.insert(linkAccounts).values({ linkId: link!.id, accountId: ordinaryAccountId });
    const history: (typeof linkHistory.$inferInsert)[] = [
      { linkId: link!.id, at: consentedAt, actorType: 'customer', actorId: customerId, event: 'consent_given', detail: { items, termsVersion: '2020-08-21' } },
    ];
    if (status === 'expired') history.push({ linkId: link!.id, at: statusChangedAt, actorType: 'system', event: 'link_expired', detail: { inactivityDays: provider.inactivityDays } });
    if (status === 'revoked') history.push({ linkId: link!.id, at: statusChangedAt, actorType: 'customer', actorId: customerId, event: 'link_revoked', detail: { via: 'portal' } });
    await db.insert(linkHistory).values(history);
  }
  await seedRecordOverLink(db, customerId, ordinaryAccountId, now);
}

/** Past the two-year record: "むかし家計簿", stopped 800 days ago. Housekeeping archives it (issue 14 §3), so demo50 never sees it; staff do. */
export const RECORD_OVER_PROVIDER = { clientId: 'sandbox-directory-00', nameJa: 'むかし家計簿', nameEn: 'Mukashi Budget' } as const;

async function seedRecordOverLink(db: Executor, customerId: string, ordinaryAccountId: string, now: Date): Promise<void> {
  await db
    .insert(providers)
    .values({
      clientId: RECORD_OVER_PROVIDER.clientId,
      nameJa: RECORD_OVER_PROVIDER.nameJa,
      nameEn: RECORD_OVER_PROVIDER.nameEn,
      legalNameJa: '株式会社むかしフィンテック',
      legalNameEn: 'Mukashi Fintech K.K.',
      registrationNumber: '関東財務局長（電代）第100号',
      purposeJa: '家計簿サービスの提供（サンドボックスの架空の事業者）',
      purposeEn: 'Providing a budget service (a made-up sandbox provider)',
      permittedItems: ['balances', 'statements'],
      inactivityDays: 90,
      status: 'active',
    })
    .onConflictDoNothing();
  const [provider] = await db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, RECORD_OVER_PROVIDER.clientId));
  const consentedAt = new Date(now.getTime() - 1000 * DAY);
  const stoppedAt = new Date(now.getTime() - 800 * DAY);
  const [link] = await db
    .insert(links)
    .values({ customerId, providerId: provider!.id, status: 'revoked', termsVersionId: '2020-08-21', consentedAt, lastUsedAt: stoppedAt, expiresAt: computeExpiresAt(stoppedAt, 90), statusChangedAt: stoppedAt })
    .returning({ id: links.id });
  await db.insert(linkItems).values((['balances', 'statements'] as const).map((item) => ({ linkId: link!.id, item, granted: true, grantedAt: consentedAt })));
  await db.insert(linkAccounts).values({ linkId: link!.id, accountId: ordinaryAccountId });
  await db.insert(linkHistory).values([
    { linkId: link!.id, at: consentedAt, actorType: 'customer', actorId: customerId, event: 'consent_given', detail: { items: ['balances', 'statements'], termsVersion: '2020-08-21' } },
    { linkId: link!.id, at: stoppedAt, actorType: 'customer', actorId: customerId, event: 'link_revoked', detail: { via: 'portal' } },
  ]);
}
