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

export async function requireCustomer(returnTo?: string): Promise<CustomerPrincipal> {
  const principal = await currentCustomer();
  if (!principal) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : '/login');
  return principal;
}
