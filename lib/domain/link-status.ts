// SPEC §4: a link's life.
export const LINK_STATUSES = ['active', 'expired', 'suspended', 'revoked', 'terminated'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** What the customer sees: the stored status, with time applied (Art. 4) and "expiring soon". */
export type DisplayStatus = LinkStatus | 'expiring_soon';

export const EXPIRING_SOON_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export const FINAL_STATUSES: readonly LinkStatus[] = ['revoked', 'terminated'];
/** Over, for good or by Art. 4 expiry: no item changes, no bank suspension, no live grant; kept as a past link. */
export const ENDED_STATUSES: readonly LinkStatus[] = ['expired', 'revoked', 'terminated'];

/** Art. 4: expires-at is the last use (or the consent) plus the provider's inactivity period. */
export function computeExpiresAt(lastActivityAt: Date, inactivityDays: number): Date {
  return new Date(lastActivityAt.getTime() + inactivityDays * DAY_MS);
}

/** The status in force at `now`: an active link past its expiry is expired, even before a sweep records it. */
export function effectiveStatus(link: { status: LinkStatus; expiresAt: Date }, now: Date): LinkStatus {
  if (link.status === 'active' && link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return link.status;
}

export function displayStatus(link: { status: LinkStatus; expiresAt: Date }, now: Date): DisplayStatus {
  const status = effectiveStatus(link, now);
  if (status === 'active' && link.expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS) {
    return 'expiring_soon';
  }
  return status;
}

/** Whole days left until expiry, rounded up; 0 once expired. */
export function daysUntil(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
}

/** Statuses that need the customer's attention come first on the dashboard. */
export function needsAttention(status: DisplayStatus): boolean {
  return status === 'expiring_soon' || status === 'expired' || status === 'suspended';
}

const ORDER: Record<DisplayStatus, number> = {
  suspended: 0,
  expired: 1,
  expiring_soon: 2,
  active: 3,
  revoked: 4,
  terminated: 5,
};

export function compareForDashboard(a: DisplayStatus, b: DisplayStatus): number {
  return ORDER[a] - ORDER[b];
}

/**
 * Art. 5.2: a link the bank suspended and the customer (or the provider) then stopped keeps the
 * bank's hold: a new consent does not renew it until the bank lifts the hold. A suspension that
 * came with the provider's own (`suspended_via = 'provider'`) follows the provider instead.
 */
export function hasBankHold(link: { status: LinkStatus; suspendedVia: string | null }): boolean {
  return link.status === 'suspended' || (link.status === 'revoked' && link.suspendedVia === 'link');
}

// Art. 5.2 (1)–(7): the reasons the bank may stop a link.
export const SUSPENSION_REASONS = [1, 2, 3, 4, 5, 6, 7] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** The customer-facing wording key: (2) and (3) both read "security reasons" (never "fraud"). */
export function suspensionReasonKey(reason: number | null): 'protect' | 'security' | 'failure' | 'maintenance' | 'contractEnded' | 'bank' {
  switch (reason) {
    case 1:
      return 'protect';
    case 2:
    case 3:
      return 'security';
    case 4:
      return 'failure';
    case 5:
      return 'maintenance';
    case 6:
      return 'contractEnded';
    default:
      return 'bank';
  }
}
