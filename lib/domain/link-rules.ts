import { groupOf, type PermissionItem } from './permission-items';
import { effectiveStatus, type LinkStatus } from './link-status';
import type { TransitionBlocker } from './link-events';

/** Business-rule violations with a code the UI maps to a message. */
export class DomainError extends Error {
  constructor(
    readonly code:
      | 'not_found'
      | 'stale'
      | 'link_not_active'
      | 'link_final'
      | 'item_not_requested'
      | 'item_not_permitted'
      | 'step_up_required'
      | 'step_up_failed'
      | 'already_requested'
      | TransitionBlocker,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

/** Granting a transaction item (Art. 3.2) needs the one-time password again. Revoking never does. */
export function requiresStepUp(item: PermissionItem, action: 'grant' | 'revoke'): boolean {
  return action === 'grant' && groupOf(item) === 'transaction';
}

type LinkForRules = { status: LinkStatus; expiresAt: Date };
type ItemForRules = { item: PermissionItem; granted: boolean };

/**
 * Why an item cannot be granted again from the portal, or null if it can.
 * Art. 3.1: only items the provider requested AND is registered for; only on a link in force.
 */
export function regrantBlocker(
  link: LinkForRules,
  requested: readonly ItemForRules[],
  permitted: readonly PermissionItem[],
  item: PermissionItem,
  now: Date,
): DomainError['code'] | null {
  if (effectiveStatus(link, now) !== 'active') return 'link_not_active';
  if (!requested.some((r) => r.item === item)) return 'item_not_requested';
  if (!permitted.includes(item)) return 'item_not_permitted';
  return null;
}

/** Revoking narrows what flows; allowed while the link is not final (active, expired or suspended). */
export function revokeBlocker(link: LinkForRules, requested: readonly ItemForRules[], item: PermissionItem): DomainError['code'] | null {
  if (link.status === 'revoked' || link.status === 'terminated') return 'link_final';
  if (!requested.some((r) => r.item === item)) return 'item_not_requested';
  return null;
}
