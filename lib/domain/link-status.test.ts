import { describe, expect, it } from 'vitest';
import {
  compareForDashboard,
  computeExpiresAt,
  daysUntil,
  displayStatus,
  effectiveStatus,
  EXPIRING_SOON_DAYS,
  needsAttention,
  SUSPENSION_REASONS,
  suspensionReasonKey,
  type DisplayStatus,
  type LinkStatus,
} from './link-status';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-03-10T03:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('computeExpiresAt (Art. 4: last activity + inactivity period)', () => {
  it('adds the provider’s inactivity days to the last activity', () => {
    expect(computeExpiresAt(new Date('2025-01-01T00:00:00.000Z'), 90).toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(computeExpiresAt(new Date('2025-01-01T12:34:56.789Z'), 180).toISOString()).toBe('2025-06-30T12:34:56.789Z');
    expect(computeExpiresAt(new Date('2025-03-01T00:00:00.000Z'), 1).toISOString()).toBe('2025-03-02T00:00:00.000Z');
  });

  it('counts from the last activity, not from any earlier date, and does not mutate its input', () => {
    const lastUsed = new Date('2025-05-20T09:00:00.000Z');
    const expires = computeExpiresAt(lastUsed, 90);
    expect(expires.getTime() - lastUsed.getTime()).toBe(90 * DAY);
    expect(lastUsed.toISOString()).toBe('2025-05-20T09:00:00.000Z');
    expect(expires).not.toBe(lastUsed);
  });
});

describe('effectiveStatus', () => {
  it('turns an active link into expired once its expiry has passed', () => {
    expect(effectiveStatus({ status: 'active', expiresAt: at(-1) }, NOW)).toBe('expired');
    expect(effectiveStatus({ status: 'active', expiresAt: at(-30 * DAY) }, NOW)).toBe('expired');
  });

  it('treats exactly expires-at as expired', () => {
    expect(effectiveStatus({ status: 'active', expiresAt: at(0) }, NOW)).toBe('expired');
  });

  it('keeps an active link active before its expiry', () => {
    expect(effectiveStatus({ status: 'active', expiresAt: at(1) }, NOW)).toBe('active');
    expect(effectiveStatus({ status: 'active', expiresAt: at(60 * DAY) }, NOW)).toBe('active');
  });

  it.each<LinkStatus>(['suspended', 'revoked', 'terminated', 'expired'])('leaves %s unchanged, even past expiry', (status) => {
    expect(effectiveStatus({ status, expiresAt: at(-10 * DAY) }, NOW)).toBe(status);
    expect(effectiveStatus({ status, expiresAt: at(10 * DAY) }, NOW)).toBe(status);
  });
});

describe('displayStatus ("expiring soon" = within 14 days of expires-at)', () => {
  it('uses a 14-day window', () => {
    expect(EXPIRING_SOON_DAYS).toBe(14);
  });

  it('shows expiring_soon with exactly 14 days left', () => {
    expect(displayStatus({ status: 'active', expiresAt: at(14 * DAY) }, NOW)).toBe('expiring_soon');
  });

  it('shows active with 14 days + 1 ms left', () => {
    expect(displayStatus({ status: 'active', expiresAt: at(14 * DAY + 1) }, NOW)).toBe('active');
    expect(displayStatus({ status: 'active', expiresAt: at(90 * DAY) }, NOW)).toBe('active');
  });

  it('shows expiring_soon down to the last millisecond', () => {
    expect(displayStatus({ status: 'active', expiresAt: at(1) }, NOW)).toBe('expiring_soon');
    expect(displayStatus({ status: 'active', expiresAt: at(3 * DAY) }, NOW)).toBe('expiring_soon');
  });

  it('shows expired once expired (not expiring_soon)', () => {
    expect(displayStatus({ status: 'active', expiresAt: at(0) }, NOW)).toBe('expired');
    expect(displayStatus({ status: 'active', expiresAt: at(-DAY) }, NOW)).toBe('expired');
    expect(displayStatus({ status: 'expired', expiresAt: at(-DAY) }, NOW)).toBe('expired');
  });

  it.each<LinkStatus>(['suspended', 'revoked', 'terminated'])('never shows a %s link as expiring soon', (status) => {
    expect(displayStatus({ status, expiresAt: at(3 * DAY) }, NOW)).toBe(status);
    expect(displayStatus({ status, expiresAt: at(-3 * DAY) }, NOW)).toBe(status);
  });
});

describe('daysUntil', () => {
  it('rounds whole days up', () => {
    expect(daysUntil(at(1), NOW)).toBe(1);
    expect(daysUntil(at(DAY), NOW)).toBe(1);
    expect(daysUntil(at(DAY + 1), NOW)).toBe(2);
    expect(daysUntil(at(14 * DAY), NOW)).toBe(14);
    expect(daysUntil(at(13 * DAY + 12 * 3_600_000), NOW)).toBe(14);
    expect(daysUntil(at(90 * DAY), NOW)).toBe(90);
  });

  it('is 0 at and after expiry', () => {
    expect(daysUntil(at(0), NOW)).toBe(0);
    expect(daysUntil(at(-1), NOW)).toBe(0);
    expect(daysUntil(at(-5 * DAY), NOW)).toBe(0);
  });
});

describe('needsAttention and dashboard order', () => {
  it('flags suspended, expired and expiring_soon only', () => {
    expect(needsAttention('suspended')).toBe(true);
    expect(needsAttention('expired')).toBe(true);
    expect(needsAttention('expiring_soon')).toBe(true);
    expect(needsAttention('active')).toBe(false);
    expect(needsAttention('revoked')).toBe(false);
    expect(needsAttention('terminated')).toBe(false);
  });

  it('sorts suspended, expired, expiring_soon first, in that order', () => {
    const statuses: DisplayStatus[] = ['active', 'terminated', 'expiring_soon', 'revoked', 'expired', 'suspended'];
    const sorted = [...statuses].sort(compareForDashboard);
    expect(sorted.slice(0, 3)).toEqual(['suspended', 'expired', 'expiring_soon']);
    expect(new Set(sorted.slice(3))).toEqual(new Set(['active', 'revoked', 'terminated']));
    // whatever the input order
    expect([...statuses].reverse().sort(compareForDashboard).slice(0, 3)).toEqual(['suspended', 'expired', 'expiring_soon']);
  });

  it('puts every status needing attention before every other one', () => {
    const all: DisplayStatus[] = ['active', 'expired', 'suspended', 'revoked', 'terminated', 'expiring_soon'];
    for (const a of all) {
      expect(compareForDashboard(a, a)).toBe(0);
      for (const b of all) {
        if (needsAttention(a) && !needsAttention(b)) {
          expect(compareForDashboard(a, b)).toBeLessThan(0);
          expect(compareForDashboard(b, a)).toBeGreaterThan(0);
        }
      }
    }
  });

  it('keeps links still in force ahead of final ones', () => {
    expect(compareForDashboard('active', 'revoked')).toBeLessThan(0);
    expect(compareForDashboard('active', 'terminated')).toBeLessThan(0);
  });
});

describe('suspensionReasonKey (Art. 5.2 (1)–(7))', () => {
  it('covers reasons 1 to 7', () => {
    expect(SUSPENSION_REASONS).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('maps each reason to its customer-facing key', () => {
    expect(suspensionReasonKey(1)).toBe('protect');
    expect(suspensionReasonKey(2)).toBe('security');
    expect(suspensionReasonKey(3)).toBe('security');
    expect(suspensionReasonKey(4)).toBe('failure');
    expect(suspensionReasonKey(5)).toBe('maintenance');
    expect(suspensionReasonKey(6)).toBe('contractEnded');
    expect(suspensionReasonKey(7)).toBe('bank');
  });

  it('never words a reason as fraud or unauthorised access', () => {
    for (const reason of SUSPENSION_REASONS) {
      expect(suspensionReasonKey(reason)).not.toMatch(/fraud|unauthori[sz]ed|abuse|misuse|illegal|leak/i);
    }
    // (2) unauthorised access and (3) fraud read the same
    expect(suspensionReasonKey(2)).toBe(suspensionReasonKey(3));
  });

  it.each([null, 0, 8, -1, 2.5, 99])('maps unknown reason %s to "bank"', (reason) => {
    expect(suspensionReasonKey(reason)).toBe('bank');
  });
});
