import { compareForDashboard, ENDED_STATUSES, needsAttention, type DisplayStatus } from '@/lib/domain/link-status';
import { groupOf, type PermissionGroup } from '@/lib/domain/permission-items';
import { env } from '@/lib/env';
import type { LinkSummaryDTO } from './queries';

// Issue 14 §3–4: the dashboard's two lists — the links in force ("current") and the record of the
// ones that ended ("past", 過去の連携: expired, stopped or ended, kept in view for two years) —
// and finding a link among many: status, kind of access, a provider's name, and an order. All of
// it is a query string (a GET form: it works without JavaScript, and a URL keeps the state).

export type DashboardView = 'current' | 'past';
export const STATUS_FILTERS = ['all', 'attention', 'active', 'expired', 'stopped'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const KIND_FILTERS = ['all', 'information', 'transaction'] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];
export const SORT_KEYS = ['status', 'name', 'lastUsed', 'expiry'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export type DashboardQuery = { view: DashboardView; status: StatusFilter; kind: KindFilter; sort: SortKey; q: string };

/** How long an ended link stays in the customer's record (issue 14 §3; decisions 44, 48): `PAST_LINK_RECORD_DAYS`, two years by default. */
export const PAST_LINK_RECORD_DAYS = env.PAST_LINK_RECORD_DAYS;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The statuses each view offers (beside "all"). */
export const VIEW_STATUSES: Record<DashboardView, StatusFilter[]> = { current: ['attention', 'active'], past: ['expired', 'stopped'] };

type Params = Record<string, string | string[] | undefined>;

function one(params: Params, key: string): string {
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Anything unknown falls back to the default; a status of the other view switches to it. */
export function parseDashboardQuery(params: Params): DashboardQuery {
  const status = oneOf(one(params, 'status'), STATUS_FILTERS, 'all');
  const requestedView = one(params, 'view') === 'past' ? 'past' : 'current';
  const view: DashboardView = status === 'expired' || status === 'stopped' ? 'past' : status === 'attention' || status === 'active' ? 'current' : requestedView;
  return {
    view,
    status,
    kind: oneOf(one(params, 'kind'), KIND_FILTERS, 'all'),
    sort: oneOf(one(params, 'sort'), SORT_KEYS, 'status'),
    q: one(params, 'q').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 64),
  };
}

/** The query string of a query (defaults left out), for links and the form's state. */
export function dashboardHref(query: Partial<DashboardQuery>): string {
  const params = new URLSearchParams();
  if (query.view === 'past') params.set('view', 'past');
  if (query.status && query.status !== 'all') params.set('status', query.status);
  if (query.kind && query.kind !== 'all') params.set('kind', query.kind);
  if (query.sort && query.sort !== 'status') params.set('sort', query.sort);
  if (query.q) params.set('q', query.q);
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

const PAST: readonly DisplayStatus[] = ENDED_STATUSES;

export function isPast(link: Pick<LinkSummaryDTO, 'displayStatus'>): boolean {
  return PAST.includes(link.displayStatus);
}

/** When an ended link ended: its expiry (Art. 4), or when it was stopped or ended. */
export function endedAt(link: Pick<LinkSummaryDTO, 'displayStatus' | 'expiresAt' | 'statusChangedAt'>): Date {
  return link.displayStatus === 'expired' ? link.expiresAt : link.statusChangedAt;
}

/** Ended within the record period (two years): shown under past links; older ones are not. */
export function inRecord(link: LinkSummaryDTO, now: Date, recordDays = PAST_LINK_RECORD_DAYS): boolean {
  return endedAt(link).getTime() > now.getTime() - recordDays * DAY_MS;
}

/** One normalisation for names and what the customer types: width, case, spaces, hiragana/katakana. */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

function matchesStatus(link: LinkSummaryDTO, status: StatusFilter): boolean {
  switch (status) {
    case 'all':
      return true;
    case 'attention':
      return needsAttention(link.displayStatus);
    case 'active':
      return link.displayStatus === 'active' || link.displayStatus === 'expiring_soon';
    case 'expired':
      return link.displayStatus === 'expired';
    case 'stopped':
      return link.displayStatus === 'revoked' || link.displayStatus === 'terminated';
  }
}

function matchesKind(link: LinkSummaryDTO, kind: KindFilter): boolean {
  if (kind === 'all') return true;
  // What the link is for: the items in force, or for an ended link the items it had.
  const items = isPast(link) ? link.items : link.items.filter((i) => i.granted);
  return items.some((i) => groupOf(i.item) === (kind as PermissionGroup));
}

function nameOf(link: LinkSummaryDTO, locale: string): string {
  return locale === 'en' ? link.provider.nameEn : link.provider.nameJa;
}

export function matchesName(link: LinkSummaryDTO, q: string): boolean {
  if (!q) return true;
  const wanted = normaliseName(q);
  return [link.provider.nameJa, link.provider.nameEn, link.provider.legalNameJa, link.provider.legalNameEn].some((n) => normaliseName(n).includes(wanted));
}

export type DashboardLists = {
  /** The links of the chosen view that match every filter, in the chosen order. */
  shown: LinkSummaryDTO[];
  /** How many links each view has before filtering (the tabs' counts). */
  counts: Record<DashboardView, number>;
  /** How many links of the current view need attention, before filtering. */
  attention: number;
  /** Links that expired in the last 30 days: the current view points to them (they need a new consent). */
  recentlyExpired: number;
};

export function dashboardLists(links: LinkSummaryDTO[], query: DashboardQuery, now: Date, locale: string): DashboardLists {
  const current = links.filter((l) => !isPast(l));
  const past = links.filter((l) => isPast(l) && inRecord(l, now));
  const collator = new Intl.Collator(locale === 'en' ? 'en' : 'ja');
  const byName = (a: LinkSummaryDTO, b: LinkSummaryDTO) => collator.compare(nameOf(a, locale), nameOf(b, locale));
  const time = (d: Date | null) => d?.getTime() ?? Number.NEGATIVE_INFINITY;
  const order: Record<SortKey, (a: LinkSummaryDTO, b: LinkSummaryDTO) => number> = {
    status: (a, b) => (query.view === 'past' ? time(endedAt(b)) - time(endedAt(a)) : compareForDashboard(a.displayStatus, b.displayStatus)) || byName(a, b),
    name: byName,
    lastUsed: (a, b) => time(b.lastUsedAt) - time(a.lastUsedAt) || byName(a, b),
    // the current view: the next expiry first; the past view: the most recently ended first
    expiry: (a, b) => (query.view === 'past' ? time(endedAt(b)) - time(endedAt(a)) : a.expiresAt.getTime() - b.expiresAt.getTime()) || byName(a, b),
  };
  const shown = (query.view === 'past' ? past : current)
    .filter((l) => matchesStatus(l, query.status) && matchesKind(l, query.kind) && matchesName(l, query.q))
    .sort(order[query.sort]);
  const recentlyExpired = past.filter((l) => l.displayStatus === 'expired' && endedAt(l).getTime() > now.getTime() - 30 * DAY_MS).length;
  return { shown, counts: { current: current.length, past: past.length }, attention: current.filter((l) => needsAttention(l.displayStatus)).length, recentlyExpired };
}
