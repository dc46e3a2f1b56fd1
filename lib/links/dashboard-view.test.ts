import { describe, expect, it } from 'vitest';
import { displayStatus, type LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { dashboardHref, dashboardLists, normaliseName, parseDashboardQuery } from './dashboard-view';
import type { LinkSummaryDTO } from './queries';

const NOW = new Date('2026-12-01T03:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function link(id: string, nameJa: string, nameEn: string, status: LinkStatus, options: { expiresInDays?: number; lastUsedDaysAgo?: number | null; endedDaysAgo?: number; items?: PermissionItem[] } = {}): LinkSummaryDTO {
  const expiresAt = new Date(NOW.getTime() + (options.expiresInDays ?? 60) * DAY);
  const statusChangedAt = new Date(NOW.getTime() - (options.endedDaysAgo ?? 400) * DAY);
  return {
    id,
    providerId: `provider-${id}`,
    provider: { nameJa, nameEn, legalNameJa: `株式会社${nameJa}`, legalNameEn: `${nameEn} Inc.`, registrationNumber: '第1号', purposeJa: '', purposeEn: '', initiateLoginUri: null, permittedItems: [], inactivityDays: 90 },
    status,
    displayStatus: displayStatus({ status, expiresAt }, NOW),
    suspensionReason: null,
    heldByBank: false,
    consentedAt: new Date(NOW.getTime() - 500 * DAY),
    lastUsedAt: options.lastUsedDaysAgo === null ? null : new Date(NOW.getTime() - (options.lastUsedDaysAgo ?? 1) * DAY),
    expiresAt,
    statusChangedAt,
    archivedAt: null,
    items: (options.items ?? ['balances']).map((item) => ({ item, granted: true, grantedAt: null, revokedAt: null, lastUsedAt: null })),
    chainedConnections: [],
  };
}

const LINKS = [
  link('a', 'かけいぼプラス', 'Kakeibo Plus', 'active', { expiresInDays: 80, lastUsedDaysAgo: 3 }),
  link('b', '会計クラウド', 'Ledger Cloud', 'active', { expiresInDays: 5, lastUsedDaysAgo: 85, items: ['statements', 'transfers'] }),
  link('c', 'ためまる', 'Tamemaru', 'suspended', { lastUsedDaysAgo: 0.5 }),
  link('d', 'ペイルート', 'PayRoute', 'active', { expiresInDays: -10, lastUsedDaysAgo: 100, items: ['transfers'] }), // expired at read time
  link('e', 'レシート帳', 'Receipt Book', 'revoked', { endedDaysAgo: 240 }),
  link('f', '古い家計簿', 'Old Book', 'terminated', { endedDaysAgo: 800 }), // ended over two years ago
];

describe('the dashboard views (issue 14 §3–4)', () => {
  it('keeps what is in force on the current view and what ended in the last two years on the past view', () => {
    const current = dashboardLists(LINKS, parseDashboardQuery({}), NOW, 'ja');
    expect(current.shown.map((l) => l.id)).toEqual(['c', 'b', 'a']); // suspended, expiring soon, active
    expect(current.counts).toEqual({ current: 3, past: 2 });
    expect(current.attention).toBe(2);
    expect(current.recentlyExpired).toBe(1);
    const past = dashboardLists(LINKS, parseDashboardQuery({ view: 'past' }), NOW, 'ja');
    expect(past.shown.map((l) => l.id)).toEqual(['d', 'e']); // the most recently ended first; f is past the record
  });

  it('filters by status, kind of access and a part of the name in any script or width', () => {
    const ids = (params: Record<string, string>) => dashboardLists(LINKS, parseDashboardQuery(params), NOW, 'ja').shown.map((l) => l.id);
    expect(ids({ status: 'attention' })).toEqual(['c', 'b']);
    expect(ids({ status: 'active' })).toEqual(['b', 'a']);
    expect(ids({ status: 'expired' })).toEqual(['d']); // a past status switches to the past view
    expect(ids({ status: 'stopped' })).toEqual(['e']);
    expect(ids({ kind: 'transaction' })).toEqual(['b']);
    expect(ids({ view: 'past', kind: 'transaction' })).toEqual(['d']);
    for (const q of ['かけいぼ', 'カケイボ', 'ｶｹｲﾎﾞ', 'KAKEIBO', 'kakeibo plus', '株式会社かけいぼ']) expect(ids({ q }), q).toEqual(['a']);
    expect(ids({ q: 'zzz' })).toEqual([]);
  });

  it('sorts by name (Japanese collation), last use and expiry', () => {
    const ids = (params: Record<string, string>, locale = 'ja') => dashboardLists(LINKS, parseDashboardQuery(params), NOW, locale).shown.map((l) => l.id);
    expect(ids({ sort: 'name' })).toEqual(['a', 'c', 'b']); // かけいぼ, ためまる, 会計 (kana before kanji)
    expect(ids({ sort: 'name' }, 'en')).toEqual(['a', 'b', 'c']);
    expect(ids({ sort: 'lastUsed' })).toEqual(['c', 'a', 'b']);
    expect(ids({ sort: 'expiry' })).toEqual(['b', 'c', 'a']);
  });

  it('takes only known values from the query string, and writes back only what differs from the defaults', () => {
    expect(parseDashboardQuery({ view: 'x', status: 'nope', kind: ['transaction', 'information'], sort: 'drop table', q: ' かけ\u0000いぼ ' })).toEqual({
      view: 'current',
      status: 'all',
      kind: 'transaction',
      sort: 'status',
      q: 'かけいぼ',
    });
    expect(dashboardHref({ view: 'past', status: 'expired', kind: 'all', sort: 'status', q: '' })).toBe('/?view=past&status=expired');
    expect(dashboardHref({ view: 'current' })).toBe('/');
    expect(normaliseName('ｶｹｲﾎﾞ　プラス')).toBe('カケイボプラス');
  });
});
