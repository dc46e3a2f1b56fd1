import { describe, expect, it } from 'vitest';
import { DomainError, regrantBlocker, requiresStepUp, revokeBlocker } from './link-rules';
import type { LinkStatus } from './link-status';
import {
  groupOf,
  isPermissionItem,
  itemsInGroup,
  PERMISSION_GROUPS,
  PERMISSION_ITEM_IDS,
  PERMISSION_ITEMS,
  type PermissionItem,
} from './permission-items';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-03-10T03:00:00.000Z');
const FUTURE = new Date(NOW.getTime() + 30 * DAY);
const PAST = new Date(NOW.getTime() - DAY);

const INFORMATION: PermissionItem[] = ['balances', 'statements', 'payees'];
const TRANSACTION: PermissionItem[] = ['transfers', 'direct_debit_applications', 'direct_debit_transfers'];

const link = (status: LinkStatus, expiresAt: Date = FUTURE) => ({ status, expiresAt });
// Requested: balances (granted), statements (revoked), transfers (revoked), payees (revoked)
const requested = [
  { item: 'balances' as const, granted: true },
  { item: 'statements' as const, granted: false },
  { item: 'transfers' as const, granted: false },
  { item: 'payees' as const, granted: false },
];
// Registered for: everything but payees and direct_debit_transfers
const permitted: PermissionItem[] = ['balances', 'statements', 'transfers', 'direct_debit_applications'];

describe('requiresStepUp', () => {
  it.each(TRANSACTION)('needs the one-time password to grant %s', (item) => {
    expect(requiresStepUp(item, 'grant')).toBe(true);
  });

  it.each(INFORMATION)('does not need it to grant %s', (item) => {
    expect(requiresStepUp(item, 'grant')).toBe(false);
  });

  it.each(PERMISSION_ITEM_IDS)('never needs it to revoke %s', (item) => {
    expect(requiresStepUp(item, 'revoke')).toBe(false);
  });
});

describe('regrantBlocker (Art. 3.1)', () => {
  it('allows an item that is requested and permitted on an active link', () => {
    expect(regrantBlocker(link('active'), requested, permitted, 'statements', NOW)).toBeNull();
    expect(regrantBlocker(link('active'), requested, permitted, 'transfers', NOW)).toBeNull();
  });

  it('refuses an item the provider did not request, even if it is permitted', () => {
    expect(permitted).toContain('direct_debit_applications');
    expect(regrantBlocker(link('active'), requested, permitted, 'direct_debit_applications', NOW)).toBe('item_not_requested');
    expect(regrantBlocker(link('active'), requested, PERMISSION_ITEM_IDS, 'direct_debit_transfers', NOW)).toBe('item_not_requested');
  });

  it('refuses an item the provider is no longer registered for', () => {
    expect(regrantBlocker(link('active'), requested, permitted, 'payees', NOW)).toBe('item_not_permitted');
    expect(regrantBlocker(link('active'), requested, [], 'statements', NOW)).toBe('item_not_permitted');
  });

  it('refuses on an expired link, including an active one whose expiry has passed', () => {
    expect(regrantBlocker(link('expired', PAST), requested, permitted, 'statements', NOW)).toBe('link_not_active');
    expect(regrantBlocker(link('expired', FUTURE), requested, permitted, 'statements', NOW)).toBe('link_not_active');
    expect(regrantBlocker(link('active', PAST), requested, permitted, 'statements', NOW)).toBe('link_not_active');
    expect(regrantBlocker(link('active', NOW), requested, permitted, 'statements', NOW)).toBe('link_not_active');
    // one millisecond before expiry it is still in force
    expect(regrantBlocker(link('active', new Date(NOW.getTime() + 1)), requested, permitted, 'statements', NOW)).toBeNull();
  });

  it.each<LinkStatus>(['suspended', 'revoked', 'terminated'])('refuses on a %s link', (status) => {
    expect(regrantBlocker(link(status), requested, permitted, 'statements', NOW)).toBe('link_not_active');
  });
});

describe('revokeBlocker', () => {
  it.each<LinkStatus>(['revoked', 'terminated'])('refuses on a %s (final) link', (status) => {
    expect(revokeBlocker(link(status), requested, 'balances')).toBe('link_final');
  });

  it('allows revoking on active, suspended and expired links', () => {
    expect(revokeBlocker(link('active'), requested, 'balances')).toBeNull();
    expect(revokeBlocker(link('suspended'), requested, 'balances')).toBeNull();
    expect(revokeBlocker(link('expired', PAST), requested, 'balances')).toBeNull();
    expect(revokeBlocker(link('active', PAST), requested, 'balances')).toBeNull();
  });

  it('refuses an item that was never requested', () => {
    expect(revokeBlocker(link('active'), requested, 'direct_debit_transfers')).toBe('item_not_requested');
    expect(revokeBlocker(link('suspended'), [], 'balances')).toBe('item_not_requested');
  });
});

describe('DomainError', () => {
  it('carries its code', () => {
    const error = new DomainError('link_final');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('link_final');
    expect(error.name).toBe('DomainError');
  });
});

describe('permission items (SPEC §3)', () => {
  it('has the six fixed ids in SPEC order', () => {
    expect(PERMISSION_ITEM_IDS).toEqual(['balances', 'statements', 'payees', 'transfers', 'direct_debit_applications', 'direct_debit_transfers']);
    expect(Object.keys(PERMISSION_ITEMS).sort()).toEqual([...PERMISSION_ITEM_IDS].sort());
  });

  it('puts each item in its group, with its article', () => {
    for (const item of INFORMATION) expect(groupOf(item)).toBe('information');
    for (const item of TRANSACTION) expect(groupOf(item)).toBe('transaction');
    expect(PERMISSION_GROUPS).toEqual(['information', 'transaction']);
    expect(PERMISSION_ITEM_IDS.map((id) => PERMISSION_ITEMS[id].article)).toEqual(['3.1(1)', '3.1(2)', '3.1(3)', '3.2(1)', '3.2(2)', '3.2(3)']);
  });

  it.each(PERMISSION_ITEM_IDS)('accepts %s', (item) => {
    expect(isPermissionItem(item)).toBe(true);
  });

  it.each(['', 'Balances', 'BALANCES', 'balance', ' balances', 'balances ', 'transfer', 'direct-debit-transfers', 'openid', 'toString', 'constructor', '__proto__'])(
    'rejects the unknown string %j',
    (value) => {
      expect(isPermissionItem(value)).toBe(false);
    },
  );

  it.each([undefined, null, 0, 1, true, {}, ['balances'], new String('balances'), { toString: () => 'balances' }])('rejects the non-string %s', (value) => {
    expect(isPermissionItem(value)).toBe(false);
  });

  it('lists the items of one group in SPEC order, whatever the input order', () => {
    const shuffled: PermissionItem[] = ['direct_debit_transfers', 'payees', 'transfers', 'balances', 'direct_debit_applications', 'statements'];
    expect(itemsInGroup(shuffled, 'information')).toEqual(['balances', 'statements', 'payees']);
    expect(itemsInGroup(shuffled, 'transaction')).toEqual(['transfers', 'direct_debit_applications', 'direct_debit_transfers']);
    expect(itemsInGroup(['payees', 'balances'], 'information')).toEqual(['balances', 'payees']);
    expect(itemsInGroup(['payees', 'balances', 'payees'], 'information')).toEqual(['balances', 'payees']);
  });

  it('keeps only the items given, of the group asked', () => {
    expect(itemsInGroup(['statements', 'direct_debit_transfers'], 'information')).toEqual(['statements']);
    expect(itemsInGroup(['statements', 'direct_debit_transfers'], 'transaction')).toEqual(['direct_debit_transfers']);
    expect(itemsInGroup(INFORMATION, 'transaction')).toEqual([]);
    expect(itemsInGroup([], 'information')).toEqual([]);
  });
});
