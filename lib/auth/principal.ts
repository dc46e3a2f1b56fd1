import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { auth } from './next-auth';
import { touchSession } from './sign-in';

import type { CustomerPrincipal } from './types';

export type { CustomerPrincipal };

/** The signed-in customer for this request, or null. The session row is checked every time. */
export const currentCustomer = cache(async (): Promise<CustomerPrincipal | null> => {
  const session = await auth();
  const sessionId = session?.sid;
  if (!sessionId) return null;
  const live = await touchSession(await getDb(), sessionId);
  if (!live) return null;
  return { kind: 'customer', customerId: live.customerId, sessionId };
});

/** The signed-in customer, or a redirect to sign-in (saying so when an idle or old session ended). */
export async function requireCustomer(returnTo?: string): Promise<CustomerPrincipal> {
  const principal = await currentCustomer();
  if (principal) return principal;
  const hadSession = Boolean((await auth())?.sid);
  const params = new URLSearchParams();
  if (returnTo) params.set('next', returnTo);
  if (hadSession) params.set('ended', '1');
  const query = params.toString();
  redirect(query ? `/login?${query}` : '/login');
}
