import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Db } from '@/lib/db/connect';
import type { PermissionItem } from '@/lib/domain/permission-items';
import type { LoadedInteraction } from '@/lib/oauth/interaction';
import { apiResource, itemsFromScope } from '@/lib/oauth/scopes';
import { log } from '@/lib/observability/logger';
import { awaitConsentDecision, claimConsentDecision, finishConsentDecision, recordConsent } from './consent';

// The customer's decision on a consent screen, from the authorization server's side: one decision
// per interaction (a double submit lands on the same result, with one grant), the OAuth grant of
// exactly the chosen items, the link recorded (lib/links/lifecycle.ts via recordConsent), then
// back to the authorization server. Each returns the URL the browser goes to next.

/** Approve: grant exactly the checked items and accounts, then back to the provider with a code. */
export async function approveConsent(db: Db, principal: CustomerPrincipal, interaction: LoadedInteraction, choice: { items: PermissionItem[]; accountIds: string[] }): Promise<string> {
  if (!(await claimConsentDecision(db, interaction.uid, interaction.returnTo))) return afterTheWinner(db, interaction);
  return finished(db, interaction, decideApproval(db, principal, interaction, choice));
}

async function decideApproval(db: Db, principal: CustomerPrincipal, interaction: LoadedInteraction, choice: { items: PermissionItem[]; accountIds: string[] }): Promise<string> {
  const { Grant } = interaction.provider;
  const resource = apiResource(new URL(interaction.returnTo).origin);
  const requested = interaction.grant;
  // Grant Management update/replace: the provider's grant is changed in place, so its grant_id stays.
  const existing = requested.grantId && requested.action !== 'create' ? await Grant.find(requested.grantId) : undefined;
  if (requested.grantId && requested.action !== 'create' && (!existing || existing.accountId !== principal.customerId || existing.clientId !== interaction.clientId)) {
    return interaction.finish({ error: 'invalid_grant_id', error_description: 'The grant_id is unknown, has ended, or is not this customer’s link' });
  }
  const grant = existing ?? new Grant({ accountId: principal.customerId, clientId: interaction.clientId });
  const before = existing ? existing.getResourceScope(resource) : '';
  // The grant's scope becomes the link's granted items once recorded (update: what it had, plus the chosen).
  const granted = requested.action === 'update' ? [...new Set([...itemsFromScope(before), ...choice.items])] : choice.items;
  if (existing) {
    existing.resources = {};
    existing.rejected = undefined;
  }
  grant.addResourceScope(resource, granted.join(' '));
  // Declined (or not registered) items are rejected, so the authorization server does not ask again.
  const declined = itemsFromScope(interaction.scope).filter((item) => !granted.includes(item));
  if (declined.length > 0) grant.rejectResourceScope(resource, declined.join(' '));
  const snapshot = existing ? { ...existing } : null;
  const grantId = await grant.save();
  try {
    await recordConsent(db, principal, { clientId: interaction.clientId, scope: interaction.scope, items: choice.items, accountIds: choice.accountIds, grantId, grant: requested });
  } catch (error) {
    // A new grant is removed; a changed one is saved back as it was.
    if (snapshot) await Object.assign(grant, snapshot).save();
    else await grant.destroy();
    log('consent').error({ err: error }, 'could not record consent');
    return interaction.finish({ error: 'access_denied', error_description: 'The consent could not be recorded' });
  }
  return interaction.finish({ login: { accountId: principal.customerId }, consent: { grantId } });
}

/** Deny: the provider gets error=access_denied (RFC 6749 §4.1.2.1); nothing is granted. */
export async function denyConsent(db: Db, interaction: LoadedInteraction): Promise<string> {
  if (!(await claimConsentDecision(db, interaction.uid, interaction.returnTo))) return afterTheWinner(db, interaction);
  return finished(db, interaction, interaction.finish({ error: 'access_denied', error_description: 'The customer denied the request' }));
}

/** The winner: once the interaction's result is saved, concurrent submits may send the browser on. */
async function finished(db: Db, interaction: LoadedInteraction, deciding: Promise<string>): Promise<string> {
  try {
    return await deciding;
  } finally {
    await finishConsentDecision(db, interaction.uid);
  }
}

/** A concurrent submit of the same consent: the same destination, once the winner's result is saved. */
async function afterTheWinner(db: Db, interaction: LoadedInteraction): Promise<string> {
  if (!(await awaitConsentDecision(db, interaction.uid))) log('consent').warn({ uid: interaction.uid }, 'a concurrent consent decision did not finish in time');
  return interaction.returnTo;
}
