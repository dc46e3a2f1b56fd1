import { isPermissionItem, PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';

/** The provider API is the one resource server; its scopes are the six permission items (SPEC §3). */
export const API_PATH = '/api/v1';

export function apiResource(origin: string): string {
  return `${origin}${API_PATH}`;
}

export function itemsFromScope(scope: string | undefined | null): PermissionItem[] {
  const words = new Set((scope ?? '').split(' ').filter(Boolean));
  return PERMISSION_ITEM_IDS.filter((id) => words.has(id) && isPermissionItem(id));
}

export function scopeFromItems(items: readonly PermissionItem[]): string {
  return PERMISSION_ITEM_IDS.filter((id) => items.includes(id)).join(' ');
}
