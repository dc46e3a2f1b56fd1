'use server';

import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireCustomer } from '@/lib/auth/principal';
import { claimConsentDecision, recordConsent } from '@/lib/consent/consent';
import { getDb } from '@/lib/db';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { loadInteraction } from '@/lib/oauth/interaction';
import { apiResource, itemsFromScope } from '@/lib/oauth/scopes';
import { log } from '@/lib/observability/logger';

// `done`: the client navigates to the authorization server's resume URL (a full navigation, so the
// redirect chain to the provider's redirect URI is the browser's, not the app router's).
export type ConsentState =
  | { status: 'idle' }
  | { status: 'error'; message: string; items: string[]; accounts: string[] }
  | { status: 'done'; returnTo: string };

const schema = z.object({
  items: z.array(z.enum(PERMISSION_ITEM_IDS)).min(1),
  accounts: z.array(z.string().uuid()).min(1),
});

/** Approve: grant exactly the checked items and accounts, then back to the provider with a code. */
export async function approveAction(uid: string, _prev: ConsentState, formData: FormData): Promise<ConsentState> {
  const principal = await requireCustomer(`/consent/${uid}`);
  const t = await getTranslations('consent');
  const raw = { items: formData.getAll('items').map(String), accounts: formData.getAll('accounts').map(String) };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = raw.items.length === 0 ? t('chooseItem') : t('chooseAccount');
    return { status: 'error', message, ...raw };
  }
  const interaction = await loadInteraction(uid);
  if (!interaction) redirect(`/consent/${uid}`);
  const db = await getDb();
  // One decision per interaction: a double submit lands on the same result, with one grant.
  if (!(await claimConsentDecision(db, uid, interaction.returnTo))) return { status: 'done', returnTo: interaction.returnTo };

  const origin = new URL(interaction.returnTo).origin;
  const grant = new interaction.provider.Grant({ accountId: principal.customerId, clientId: interaction.clientId });
  const resource = apiResource(origin);
  grant.addResourceScope(resource, parsed.data.items.join(' '));
  // Declined (or not registered) items are rejected, so the authorization server does not ask again.
  const declined = itemsFromScope(interaction.scope).filter((item) => !parsed.data.items.includes(item));
  if (declined.length > 0) grant.rejectResourceScope(resource, declined.join(' '));
  const grantId = await grant.save();
  try {
    await recordConsent(db, principal, { clientId: interaction.clientId, scope: interaction.scope, items: parsed.data.items, accountIds: parsed.data.accounts, grantId });
  } catch (error) {
    await grant.destroy();
    log('consent').error({ err: error }, 'could not record consent');
    return { status: 'done', returnTo: await interaction.finish({ error: 'access_denied', error_description: 'The consent could not be recorded' }) };
  }
  return { status: 'done', returnTo: await interaction.finish({ login: { accountId: principal.customerId }, consent: { grantId } }) };
}

/** Deny: the provider gets error=access_denied (RFC 6749 §4.1.2.1); nothing is granted. */
export async function denyAction(uid: string): Promise<ConsentState> {
  await requireCustomer(`/consent/${uid}`);
  const interaction = await loadInteraction(uid);
  if (!interaction) redirect(`/consent/${uid}`);
  const db = await getDb();
  if (!(await claimConsentDecision(db, uid, interaction.returnTo))) return { status: 'done', returnTo: interaction.returnTo };
  return { status: 'done', returnTo: await interaction.finish({ error: 'access_denied', error_description: 'The customer denied the request' }) };
}
