// SPEC §3: fixed ids; they are also the OAuth scope names.
export const PERMISSION_ITEM_IDS = [
  'balances',
  'statements',
  'payees',
  'transfers',
  'direct_debit_applications',
  'direct_debit_transfers',
] as const;

export type PermissionItem = (typeof PERMISSION_ITEM_IDS)[number];
export type PermissionGroup = 'information' | 'transaction';

export const PERMISSION_ITEMS: Record<PermissionItem, { group: PermissionGroup; article: string }> = {
  balances: { group: 'information', article: '3.1(1)' },
  statements: { group: 'information', article: '3.1(2)' },
  payees: { group: 'information', article: '3.1(3)' },
  transfers: { group: 'transaction', article: '3.2(1)' },
  direct_debit_applications: { group: 'transaction', article: '3.2(2)' },
  direct_debit_transfers: { group: 'transaction', article: '3.2(3)' },
};

export const PERMISSION_GROUPS: readonly PermissionGroup[] = ['information', 'transaction'];

export function isPermissionItem(value: unknown): value is PermissionItem {
  return typeof value === 'string' && (PERMISSION_ITEM_IDS as readonly string[]).includes(value);
}

export function groupOf(item: PermissionItem): PermissionGroup {
  return PERMISSION_ITEMS[item].group;
}

/** Items of one group, in the fixed SPEC order. */
export function itemsInGroup<T extends PermissionItem>(items: readonly T[], group: PermissionGroup): T[] {
  return PERMISSION_ITEM_IDS.filter((id) => groupOf(id) === group && (items as readonly string[]).includes(id)) as T[];
}
