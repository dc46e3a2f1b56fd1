'use server';

import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireCustomer } from '@/lib/auth/principal';
import { approveConsent, denyConsent } from '@/lib/consent/decide';
import { getDb } from '@/lib/db';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { loadInteraction } from '@/lib/oauth/interaction';

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

/** Approve: validates the form, then lib/consent decides (grant, link, back to the provider). */
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
  return { status: 'done', returnTo: await approveConsent(await getDb(), principal, interaction, { items: parsed.data.items, accountIds: parsed.data.accounts }) };
}

/** Deny: the provider gets error=access_denied (RFC 6749 §4.1.2.1); nothing is granted. */
export async function denyAction(uid: string): Promise<ConsentState> {
  await requireCustomer(`/consent/${uid}`);
  const interaction = await loadInteraction(uid);
  if (!interaction) redirect(`/consent/${uid}`);
  return { status: 'done', returnTo: await denyConsent(await getDb(), interaction) };
}
