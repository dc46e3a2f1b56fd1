'use server';

import { auth, signOut } from '@/lib/auth/next-auth';
import { currentStaff } from '@/lib/auth/principal';
import { endSession } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db';

/** Ends the server-side session (it can no longer be used, even with a copied cookie) and clears the cookie. */
export async function signOutAction(): Promise<void> {
  const session = await auth();
  const staff = await currentStaff();
  if (session?.sid) await endSession(await getDb(), session.sid, 'signed_out');
  await signOut({ redirectTo: staff ? '/staff/login?signedOut=1' : '/login?signedOut=1' });
}
