import 'server-only';
import { eq } from 'drizzle-orm';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db';
import { staffUsers } from '@/lib/db/schema';
import { setRequestPrincipal } from '@/lib/observability/context';
import { auth } from './next-auth';
import { touchSession } from './sign-in';

import type { CustomerPrincipal, OperatorPrincipal, StaffPrincipal } from './types';

export type { CustomerPrincipal, OperatorPrincipal, StaffPrincipal };

type LiveSession =
  | { kind: 'customer'; principal: CustomerPrincipal }
  | { kind: 'staff'; principal: StaffPrincipal }
  | { kind: 'none'; hadSession: boolean };

/** The session behind this request, checked against its row every time (idle, age, ended). */
const currentSession = cache(async (): Promise<LiveSession> => {
  const session = await auth();
  const sessionId = session?.sid;
  if (!sessionId) return { kind: 'none', hadSession: false };
  const db = await getDb();
  const live = await touchSession(db, sessionId);
  if (live?.customerId) setRequestPrincipal('customer');
  else if (live?.staffUserId) setRequestPrincipal('staff');
  if (live?.customerId) return { kind: 'customer', principal: { kind: 'customer', customerId: live.customerId, sessionId } };
  if (live?.staffUserId) {
    const [staff] = await db
      .select({ id: staffUsers.id, role: staffUsers.role, name: staffUsers.name })
      .from(staffUsers)
      .where(eq(staffUsers.id, live.staffUserId));
    if (staff) return { kind: 'staff', principal: { kind: 'staff', staffUserId: staff.id, role: staff.role, name: staff.name, sessionId } };
  }
  return { kind: 'none', hadSession: true };
});

/** The signed-in customer for this request, or null (a staff session is never a customer). */
export async function currentCustomer(): Promise<CustomerPrincipal | null> {
  const session = await currentSession();
  return session.kind === 'customer' ? session.principal : null;
}

/** The signed-in member of bank staff (either role), or null. */
export async function currentStaff(): Promise<StaffPrincipal | null> {
  const session = await currentSession();
  return session.kind === 'staff' ? session.principal : null;
}

function toSignIn(path: string, returnTo: string | undefined, hadSession: boolean): never {
  const params = new URLSearchParams();
  if (returnTo) params.set('next', returnTo);
  if (hadSession) params.set('ended', '1');
  const query = params.toString();
  redirect(query ? `${path}?${query}` : path);
}

/**
 * The signed-in customer, or a redirect to sign-in (saying so when an idle or old session ended).
 * A bank staff session gets 403: staff can never act as, or for, a customer (SPEC §5).
 */
export async function requireCustomer(returnTo?: string): Promise<CustomerPrincipal> {
  const session = await currentSession();
  if (session.kind === 'customer') return session.principal;
  if (session.kind === 'staff') forbidden();
  return toSignIn('/login', returnTo, session.hadSession);
}

/** Bank staff (read-only or operator) for the staff view; a customer session gets 403. */
export async function requireStaff(returnTo?: string): Promise<StaffPrincipal> {
  const session = await currentSession();
  if (session.kind === 'staff') return session.principal;
  if (session.kind === 'customer') forbidden();
  return toSignIn('/staff/login', returnTo, session.hadSession);
}

/** An operator, for the few actions the bank takes (Art. 5.2, 6.1, 7, 9); read-only staff get 403. */
export async function requireOperator(returnTo?: string): Promise<OperatorPrincipal> {
  const staff = await requireStaff(returnTo);
  if (staff.role !== 'operator') forbidden();
  return staff as OperatorPrincipal;
}
