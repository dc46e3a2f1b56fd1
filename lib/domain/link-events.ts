import { FINAL_STATUSES, hasBankHold, effectiveStatus, type LinkStatus } from './link-status';

/**
 * Every event a link's append-only history can hold (SPEC §4). One list for the writer
 * (`lib/links/lifecycle.ts`), the history component and the message catalogues
 * (`portal.history.<event>` in ja and en; a test fails when one is missing).
 */
export const LINK_EVENTS = [
  'consent_given',
  'consent_renewed',
  // Grant Management: the provider asked to add items to its grant, or to replace it; the customer consented.
  'consent_updated',
  'item_granted',
  'item_revoked',
  'link_revoked',
  'link_expired',
  'link_suspended',
  'link_resumed',
  'link_hold_lifted',
  'link_terminated',
  'chained_connection_stop_requested',
  'bank_chained_stop_requested',
  'transfer_instructed',
  'direct_debit_applied',
  'direct_debit_transferred',
  // Housekeeping: the record period after the link ended is over; it left the customer's view.
  'link_record_archived',
] as const;
export type LinkEvent = (typeof LINK_EVENTS)[number];

export function isLinkEvent(value: string): value is LinkEvent {
  return (LINK_EVENTS as readonly string[]).includes(value);
}

/** The changes a link can go through; each writes exactly one history event. */
export type LinkTransitionKind =
  | 'grant_item'
  | 'revoke_item'
  | 'stop'
  | 'expire'
  | 'suspend'
  | 'resume'
  | 'lift_hold'
  | 'terminate'
  | 'chained_stop_requested'
  | 'bank_chained_stop_requested'
  | 'instruction';

/** Why a transition is refused: the same codes the portal and the operator tools map to messages. */
export type TransitionBlocker = 'link_final' | 'link_not_active' | 'not_suspended' | 'no_hold' | 'provider_not_active';

type LinkForTransition = { status: LinkStatus; expiresAt: Date; suspendedVia: string | null; providerStatus: string };

const isFinal = (status: LinkStatus) => FINAL_STATUSES.includes(status);

/**
 * SPEC §4 as one table: whether `kind` may happen to `link` at `now`, or why not. Item-level
 * rules (which items were requested and are permitted) live in `link-rules.ts`.
 */
export function transitionBlocker(link: LinkForTransition, kind: LinkTransitionKind, now: Date): TransitionBlocker | null {
  switch (kind) {
    case 'grant_item':
    case 'instruction':
      return effectiveStatus(link, now) === 'active' ? null : 'link_not_active';
    case 'revoke_item':
    case 'stop':
    case 'terminate':
    case 'chained_stop_requested':
    case 'bank_chained_stop_requested':
      return isFinal(link.status) ? 'link_final' : null;
    case 'expire':
      return link.status === 'active' && link.expiresAt.getTime() <= now.getTime() ? null : 'link_not_active';
    case 'suspend':
      if (isFinal(link.status)) return 'link_final';
      return link.status === 'active' ? null : 'link_not_active';
    case 'resume':
      if (link.status !== 'suspended') return 'not_suspended';
      return link.providerStatus === 'active' ? null : 'provider_not_active';
    case 'lift_hold':
      return link.status === 'revoked' && hasBankHold(link) ? null : 'no_hold';
  }
}
