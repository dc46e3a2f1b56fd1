import { eq, inArray } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { opens, sealTotpSecret } from '@/lib/auth/totp-seal';
import type { Executor } from '@/lib/db/connect';
import {
  accounts,
  chainedConnections,
  credentials,
  customers,
  linkAccounts,
  linkHistory,
  linkItems,
  links,
  payees,
  providers,
  staffCredentials,
  staffUsers,
  transactions,
} from '@/lib/db/schema';
import type { AccountType } from '@/lib/domain/accounts';
import { computeExpiresAt, type LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import type { ProviderDTO } from '@/lib/links/queries';
import { parseRegistration, registerProvider } from '@/lib/providers/registration';
import demoProviderRegistration from '@/examples/demo-provider/registration.json';
import demoProviderRegistrationB from '@/examples/demo-provider/registration-b.json';
import { DEMO_STAFF, DEMO_USERS } from './demo-users';
import { seedManyLinks } from './many-links';

// The sandbox's demo data (SPEC §7), loaded only in sandbox mode by lib/db/seed.ts. Its links
// come with a made-up past: their history rows are written here as fixtures, the one place
// besides lib/links/lifecycle.ts that inserts into link_history (docs/architecture.md).

const DAY = 24 * 60 * 60 * 1000;

/** Demo staff, the demo customers with their past, once; the published secrets kept opening. */
export async function seedSandboxData(tx: Executor, now: Date): Promise<void> {
  await seedStaff(tx);
  const [existing] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo'));
  if (!existing) await seedSandbox(tx, now);
  await resealDemoSecrets(tx);
}

/** Idempotent on its own (a database seeded before staff existed gets them too). */
async function seedStaff(db: Executor): Promise<void> {
  for (const member of DEMO_STAFF) {
    const [existing] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.logonId, member.logonId));
    if (existing) continue;
    const [row] = await db.insert(staffUsers).values({ logonId: member.logonId, name: member.name, role: member.role }).returning({ id: staffUsers.id });
    if (!row) throw new Error('staff insert returned nothing');
    await db.insert(staffCredentials).values({ staffUserId: row.id, passwordHash: await hashPassword(member.password), totpSecret: sealTotpSecret(member.totpSecret, { realm: 'staff', subjectId: row.id }) });
  }
}

// A demo provider: what the portal shows of it (ProviderDTO), and how the seed registers it.
type ProviderSeed = ProviderDTO & {
  key: string;
  clientId: string;
  status: 'active' | 'suspended' | 'terminated';
  chained: { name: string; purposeJa: string; purposeEn: string; items: PermissionItem[]; since: string }[];
};

const PROVIDERS: ProviderSeed[] = [
  {
    key: 'kakeibo',
    clientId: 'kakeibo-plus',
    nameJa: 'かけいぼプラス',
    nameEn: 'Kakeibo Plus',
    legalNameJa: '株式会社カケイボ',
    legalNameEn: 'Kakeibo Inc.',
    registrationNumber: '関東財務局長（電代）第12号',
    purposeJa: '家計簿アプリで口座残高と取引明細を自動で記帳し、毎月の支出の分析に使います。',
    purposeEn: 'To keep your household budget automatically: balances and statements are entered and your monthly spending is analysed.',
    initiateLoginUri: null,
    permittedItems: ['balances', 'statements', 'payees'],
    inactivityDays: 90,
    status: 'active',
    chained: [
      { name: 'ポイントモール', purposeJa: '支出に応じたポイント還元の計算', purposeEn: 'Calculating points earned on spending', items: ['statements'], since: '2023-04-01' },
      { name: '家計相談ナビ', purposeJa: 'ファイナンシャルプランナーによる家計相談', purposeEn: 'Household budget advice from financial planners', items: ['balances', 'statements'], since: '2024-10-01' },
    ],
  },
  {
    key: 'ledgerly',
    clientId: 'ledgerly',
    nameJa: 'クラウド会計レジャリー',
    nameEn: 'Ledgerly Cloud Accounting',
    legalNameJa: 'レジャリー株式会社',
    legalNameEn: 'Ledgerly K.K.',
    registrationNumber: '関東財務局長（電代）第27号',
    purposeJa: '個人事業主・法人の会計帳簿の作成と、請求書の支払い（振込・口座振替の申込み）に使います。',
    purposeEn: 'For bookkeeping for sole traders and companies, and for paying invoices (transfers, direct-debit applications).',
    initiateLoginUri: null,
    permittedItems: ['balances', 'statements', 'payees', 'transfers', 'direct_debit_applications'],
    inactivityDays: 180,
    status: 'active',
    chained: [{ name: '税理士ポータル', purposeJa: '顧問税理士による記帳内容の確認', purposeEn: "Bookkeeping review by the customer's tax accountant", items: ['statements'], since: '2022-07-01' }],
  },
  {
    key: 'payroute',
    clientId: 'payroute',
    nameJa: 'ペイルート',
    nameEn: 'PayRoute',
    legalNameJa: '株式会社ペイルート',
    legalNameEn: 'PayRoute Co., Ltd.',
    registrationNumber: '近畿財務局長（電代）第5号',
    purposeJa: 'お客さまが指定した請求の支払い（振込）と、支払い前の残高確認に使います。',
    purposeEn: 'To pay the bills you choose (transfers) and check your balance before paying.',
    initiateLoginUri: 'https://payroute.example/link',
    permittedItems: ['balances', 'transfers', 'direct_debit_transfers'],
    inactivityDays: 90,
    status: 'active',
    chained: [],
  },
  {
    key: 'tamemaru',
    clientId: 'tamemaru',
    nameJa: 'ためまる貯金',
    nameEn: 'Tamemaru Savings',
    legalNameJa: 'ためまる株式会社',
    legalNameEn: 'Tamemaru Inc.',
    registrationNumber: '関東財務局長（電代）第41号',
    purposeJa: '貯金目標の進み具合の表示と、目標に応じた積立（口座振替）に使います。',
    purposeEn: 'To show progress toward your savings goals and to save toward them (direct debits).',
    initiateLoginUri: null,
    permittedItems: ['balances', 'statements', 'direct_debit_applications', 'direct_debit_transfers'],
    inactivityDays: 90,
    status: 'active',
    chained: [{ name: 'ためまるポイント', purposeJa: '貯金目標の達成に応じた特典の付与', purposeEn: 'Rewards for reaching savings goals', items: ['balances'], since: '2025-01-15' }],
  },
  {
    key: 'receipt',
    clientId: 'receipt-note',
    nameJa: 'レシートノート',
    nameEn: 'Receipt Note',
    legalNameJa: '株式会社レシートノート',
    legalNameEn: 'Receipt Note Inc.',
    registrationNumber: '関東財務局長（電代）第8号',
    purposeJa: 'レシートと口座の取引明細を照合し、支出の記録を作るために使います。',
    purposeEn: 'To match receipts with your statements and keep a record of spending.',
    initiateLoginUri: 'https://receipt-note.example/start',
    permittedItems: ['balances', 'statements'],
    inactivityDays: 90,
    status: 'active',
    chained: [],
  },
  {
    key: 'oldbook',
    clientId: 'oldbook',
    nameJa: 'オールドブック家計簿',
    nameEn: 'Oldbook Budget',
    legalNameJa: 'オールドブック合同会社',
    legalNameEn: 'Oldbook LLC',
    registrationNumber: '東海財務局長（電代）第3号',
    purposeJa: '家計簿への記帳（サービスは終了しています）。',
    purposeEn: 'Household budget entries (the service has ended).',
    initiateLoginUri: null,
    permittedItems: ['balances', 'statements'],
    inactivityDays: 90,
    status: 'terminated',
    chained: [],
  },
];

type LinkSeed = {
  customer: string;
  provider: string;
  status: LinkStatus;
  suspensionReason?: number;
  consentedDaysAgo: number;
  lastUsedDaysAgo: number | null;
  requested: PermissionItem[];
  revoked?: PermissionItem[];
  accounts: AccountType[];
  statusDaysAgo?: number;
  /** Transfers the provider relayed every 4 days in this span (days ago), before `transfers` was revoked. */
  transfersDaysAgo?: [from: number, to: number];
};

/** Payees of the demo transfers, as their holders' names read in the history. */
const TRANSFER_PAYEES = ['ヤマダ ハナコ', 'カ）ヨコハマフドウサン', 'タナカ ジロウ'];

const LINKS: LinkSeed[] = [
  // Expiring soon: last used 80 days ago on a 90-day provider. `payees` revoked by the customer.
  { customer: 'demo', provider: 'kakeibo', status: 'active', consentedDaysAgo: 400, lastUsedDaysAgo: 80, requested: ['balances', 'statements', 'payees'], revoked: ['payees'], accounts: ['ordinary', 'time', 'card_loan'] },
  // Active and in daily use; `transfers` revoked (granting it again needs the one-time password).
  // Its history is longer than a page: transfers relayed every 4 days until they were revoked.
  { customer: 'demo', provider: 'ledgerly', status: 'active', consentedDaysAgo: 200, lastUsedDaysAgo: 0.1, requested: ['balances', 'statements', 'payees', 'transfers', 'direct_debit_applications'], revoked: ['transfers'], accounts: ['ordinary'], transfersDaysAgo: [196, 104] },
  // Expired (Art. 4): unused for 100 days on a 90-day provider.
  { customer: 'demo', provider: 'payroute', status: 'expired', consentedDaysAgo: 300, lastUsedDaysAgo: 100, statusDaysAgo: 10, requested: ['balances', 'transfers'], accounts: ['ordinary'] },
  // Suspended by the bank, Art. 5.2(2): shown as "security reasons".
  { customer: 'demo', provider: 'tamemaru', status: 'suspended', suspensionReason: 2, consentedDaysAgo: 120, lastUsedDaysAgo: 3, statusDaysAgo: 2, requested: ['balances', 'statements', 'direct_debit_transfers'], accounts: ['ordinary', 'time'] },
  // Stopped by the customer (Art. 5.1).
  { customer: 'demo', provider: 'receipt', status: 'revoked', consentedDaysAgo: 500, lastUsedDaysAgo: 250, statusDaysAgo: 240, requested: ['balances', 'statements'], accounts: ['ordinary'] },
  // The provider's contract ended, Art. 5.2(6).
  { customer: 'demo', provider: 'oldbook', status: 'terminated', suspensionReason: 6, consentedDaysAgo: 700, lastUsedDaysAgo: 60, statusDaysAgo: 45, requested: ['balances', 'statements'], accounts: ['ordinary'] },
  { customer: 'demo2', provider: 'kakeibo', status: 'active', consentedDaysAgo: 30, lastUsedDaysAgo: 1, requested: ['balances', 'statements', 'payees'], accounts: ['ordinary'] },
  { customer: 'demo2', provider: 'ledgerly', status: 'active', consentedDaysAgo: 60, lastUsedDaysAgo: 2, requested: ['balances', 'statements', 'transfers'], accounts: ['ordinary'] },
];

/** Small deterministic PRNG so the demo statements are the same on every machine. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SHOPS = ['コンビニエンスストア', 'スーパーマーケット', 'ドラッグストア', '電気料金', 'ガス料金', '携帯電話料金', '書店', 'レストラン', '交通系ICチャージ'];

async function seedCustomer(db: Executor, user: (typeof DEMO_USERS)[number], index: number, now: Date): Promise<Map<AccountType, string>> {
  const [customer] = await db
    .insert(customers)
    .values({
      customerNumber: user.customerNumber,
      logonId: user.logonId,
      nameJa: user.nameJa,
      nameKana: user.nameKana,
      nameEn: user.nameEn,
      directBankingRegistered: user.registered,
    })
    .returning({ id: customers.id });
  if (!customer) throw new Error('seed: customer insert failed');
  await db.insert(credentials).values({ customerId: customer.id, passwordHash: await hashPassword(user.password), totpSecret: sealTotpSecret(user.totpSecret, { realm: 'customer', subjectId: customer.id }) });

  const accountIds = new Map<AccountType, string>();
  const plan: { type: AccountType; number: string; opening: number }[] = [
    { type: 'ordinary', number: `12345${index}7`, opening: 850_000 + index * 120_000 },
    { type: 'time', number: `76543${index}1`, opening: 3_000_000 },
    { type: 'card_loan', number: `55500${index}1`, opening: -180_000 },
  ];
  const random = prng(20200821 + index);
  for (const a of plan) {
    const rows: { bookedAt: Date; amount: number; description: string }[] = [];
    if (a.type === 'ordinary') {
      for (let day = 89; day >= 0; day--) {
        if (day % 30 === 5) rows.push({ bookedAt: new Date(now.getTime() - day * DAY - 3 * 3600_000), amount: 285_000, description: '給与振込' });
        if (random() < 0.45) {
          const shop = SHOPS[Math.floor(random() * SHOPS.length)] ?? SHOPS[0]!;
          rows.push({ bookedAt: new Date(now.getTime() - day * DAY - Math.floor(random() * 10) * 3600_000), amount: -Math.round(300 + random() * 12_000), description: shop });
        }
      }
    } else if (a.type === 'card_loan') {
      rows.push({ bookedAt: new Date(now.getTime() - 40 * DAY), amount: 20_000, description: 'ご返済' });
      rows.push({ bookedAt: new Date(now.getTime() - 10 * DAY), amount: 20_000, description: 'ご返済' });
    } else {
      rows.push({ bookedAt: new Date(now.getTime() - 60 * DAY), amount: 1_500, description: '利息' });
    }
    rows.sort((x, y) => x.bookedAt.getTime() - y.bookedAt.getTime());
    let balance = a.opening;
    const txRows = rows.map((r) => {
      balance += r.amount;
      return { ...r, balanceAfter: balance };
    });
    const [account] = await db
      .insert(accounts)
      .values({ customerId: customer.id, type: a.type, branchCode: '101', branchName: '本店営業部', accountNumber: a.number, balance, openedAt: new Date(now.getTime() - 2000 * DAY) })
      .returning({ id: accounts.id });
    if (!account) throw new Error('seed: account insert failed');
    accountIds.set(a.type, account.id);
    if (txRows.length > 0) await db.insert(transactions).values(txRows.map((r) => ({ ...r, accountId: account.id })));
  }
  await db.insert(payees).values([
    { customerId: customer.id, bankName: 'みずなみ銀行', branchName: '新宿支店', accountType: 'ordinary', accountNumber: '1112223', holderNameKana: 'ヤマダ ハナコ' },
    { customerId: customer.id, bankName: 'さくらぎ信用金庫', branchName: '横浜支店', accountType: 'ordinary', accountNumber: '4445556', holderNameKana: 'カ）ヨコハマフドウサン' },
    { customerId: customer.id, bankName: '当行', branchName: '本店営業部', accountType: 'ordinary', accountNumber: '7778889', holderNameKana: 'タナカ ジロウ' },
  ]);
  return accountIds;
}

async function seedSandbox(db: Executor, now: Date): Promise<void> {
  // The demo provider (examples/demo-provider) is registered the way any provider is (SPEC §7).
  await registerProvider(db, parseRegistration(demoProviderRegistration, true), now);
  // A second sandbox client (same sandbox key), so integrators and tests can see client binding.
  await registerProvider(db, parseRegistration(demoProviderRegistrationB, true), now);
  const providerIds = new Map<string, string>();
  for (const p of PROVIDERS) {
    const [row] = await db
      .insert(providers)
      .values({
        clientId: p.clientId,
        nameJa: p.nameJa,
        nameEn: p.nameEn,
        legalNameJa: p.legalNameJa,
        legalNameEn: p.legalNameEn,
        registrationNumber: p.registrationNumber,
        purposeJa: p.purposeJa,
        purposeEn: p.purposeEn,
        initiateLoginUri: p.initiateLoginUri,
        permittedItems: p.permittedItems,
        inactivityDays: p.inactivityDays,
        status: p.status,
      })
      .returning({ id: providers.id });
    if (!row) throw new Error('seed: provider insert failed');
    providerIds.set(p.key, row.id);
    if (p.chained.length > 0) await db.insert(chainedConnections).values(p.chained.map((c) => ({ ...c, providerId: row.id })));
  }

  const customerIds = new Map<string, { id: string; accounts: Map<AccountType, string> }>();
  for (const [index, user] of DEMO_USERS.entries()) {
    const accountsByType = await seedCustomer(db, user, index + 1, now);
    const [row] = await db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, user.logonId));
    if (!row) throw new Error('seed: customer missing');
    customerIds.set(user.logonId, { id: row.id, accounts: accountsByType });
  }

  for (const l of LINKS) {
    const customer = customerIds.get(l.customer);
    const providerId = providerIds.get(l.provider);
    const provider = PROVIDERS.find((p) => p.key === l.provider);
    if (!customer || !providerId || !provider) throw new Error(`seed: bad link ${l.customer}/${l.provider}`);
    const consentedAt = new Date(now.getTime() - l.consentedDaysAgo * DAY);
    const lastUsedAt = l.lastUsedDaysAgo === null ? null : new Date(now.getTime() - l.lastUsedDaysAgo * DAY);
    const statusChangedAt = l.statusDaysAgo === undefined ? consentedAt : new Date(now.getTime() - l.statusDaysAgo * DAY);
    const [link] = await db
      .insert(links)
      .values({
        customerId: customer.id,
        providerId,
        status: l.status,
        suspensionReason: l.suspensionReason ?? null,
        termsVersionId: '2020-08-21',
        consentedAt,
        lastUsedAt,
        expiresAt: computeExpiresAt(lastUsedAt ?? consentedAt, provider.inactivityDays),
        statusChangedAt,
      })
      .returning({ id: links.id });
    if (!link) throw new Error('seed: link insert failed');
    const revoked = new Set(l.revoked ?? []);
    const revokedAt = new Date(consentedAt.getTime() + (now.getTime() - consentedAt.getTime()) / 2);
    await db.insert(linkItems).values(
      l.requested.map((item) => ({
        linkId: link.id,
        item,
        granted: !revoked.has(item),
        grantedAt: consentedAt,
        revokedAt: revoked.has(item) ? revokedAt : null,
        lastUsedAt: revoked.has(item) ? null : lastUsedAt,
      })),
    );
    await db.insert(linkAccounts).values(
      l.accounts.map((type) => {
        const accountId = customer.accounts.get(type);
        if (!accountId) throw new Error('seed: account missing');
        return { linkId: link.id, accountId };
      }),
    );
    const history: (typeof linkHistory.$inferInsert)[] = [
      { linkId: link.id, at: consentedAt, actorType: 'customer', actorId: customer.id, event: 'consent_given', detail: { items: l.requested, termsVersion: '2020-08-21' } },
    ];
    if (l.transfersDaysAgo) {
      for (let day = l.transfersDaysAgo[0], n = 0; day >= l.transfersDaysAgo[1]; day -= 4, n++) {
        const payee = TRANSFER_PAYEES[n % TRANSFER_PAYEES.length]!;
        const detail = { payee, amount: [85_000, 120_000, 15_400][n % 3]! + (n % 5) * 1_000 };
        history.push({ linkId: link.id, at: new Date(now.getTime() - day * DAY + 10 * 3600_000), actorType: 'provider', event: 'transfer_instructed', item: 'transfers', detail });
      }
    }
    for (const item of revoked) history.push({ linkId: link.id, at: revokedAt, actorType: 'customer', actorId: customer.id, event: 'item_revoked', item, detail: {} });
    if (l.status === 'expired') history.push({ linkId: link.id, at: statusChangedAt, actorType: 'system', event: 'link_expired', detail: { inactivityDays: provider.inactivityDays } });
    if (l.status === 'suspended') history.push({ linkId: link.id, at: statusChangedAt, actorType: 'bank', event: 'link_suspended', detail: { reason: l.suspensionReason } });
    if (l.status === 'revoked') history.push({ linkId: link.id, at: statusChangedAt, actorType: 'customer', actorId: customer.id, event: 'link_revoked', detail: { via: 'provider' } });
    if (l.status === 'terminated') history.push({ linkId: link.id, at: statusChangedAt, actorType: 'bank', event: 'link_terminated', detail: { reason: 6 } });
    await db.insert(linkHistory).values(history);
  }

  const many = customerIds.get('demo50');
  if (!many) throw new Error('seed: demo50 missing');
  await seedManyLinks(db, many.id, many.accounts.get('ordinary')!, [], now);
}

/**
 * Sandbox only: the demo users' published secrets, sealed again when the stored ones do not open
 * with this checkout's key (a database kept on the PostgreSQL server while ./data/totp-key was
 * deleted or generated anew elsewhere). Real credentials are never rewritten this way.
 */
async function resealDemoSecrets(db: Executor): Promise<void> {
  const customerRows = await db
    .select({ id: credentials.customerId, logonId: customers.logonId, secret: credentials.totpSecret })
    .from(credentials)
    .innerJoin(customers, eq(customers.id, credentials.customerId))
    .where(inArray(customers.logonId, DEMO_USERS.map((u) => u.logonId)));
  for (const row of customerRows) {
    const owner = { realm: 'customer', subjectId: row.id } as const;
    const plain = DEMO_USERS.find((u) => u.logonId === row.logonId)!.totpSecret;
    if (!opens(row.secret, owner)) await db.update(credentials).set({ totpSecret: sealTotpSecret(plain, owner) }).where(eq(credentials.customerId, row.id));
  }
  const staffRows = await db
    .select({ id: staffCredentials.staffUserId, logonId: staffUsers.logonId, secret: staffCredentials.totpSecret })
    .from(staffCredentials)
    .innerJoin(staffUsers, eq(staffUsers.id, staffCredentials.staffUserId))
    .where(inArray(staffUsers.logonId, DEMO_STAFF.map((m) => m.logonId)));
  for (const row of staffRows) {
    const owner = { realm: 'staff', subjectId: row.id } as const;
    const plain = DEMO_STAFF.find((m) => m.logonId === row.logonId)!.totpSecret;
    if (!opens(row.secret, owner)) await db.update(staffCredentials).set({ totpSecret: sealTotpSecret(plain, owner) }).where(eq(staffCredentials.staffUserId, row.id));
  }
}
