'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { signIn } from '@/lib/auth/next-auth';
import { CHALLENGE_TTL_MINUTES, passwordStep, type Realm } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db';
import { CLIENT_ADDRESS_HEADER, clientNetwork } from '@/lib/security/client-network';
import { safeNext } from '@/lib/security/safe-redirect';
import { CHALLENGE_COOKIE } from './challenge-cookie';



export type LoginState =
  | { status: 'idle'; logonId?: string }
  | { status: 'continue'; next: string; logonId?: undefined }
  | { status: 'error'; message: string; logonId?: string; fieldErrors?: Partial<Record<'logonId' | 'password' | 'otp', string>>; restart?: boolean };

async function isHttps(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto') === 'https' || (h.get('origin') ?? '').startsWith('https:');
}

const passwordSchema = z.object({
  logonId: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  next: z.string().optional(),
});

/** Step 1: logon ID + password. On success, a one-use challenge cookie and on to the one-time password. */
export async function passwordStepAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const t = await getTranslations('login');
  // The realm only chooses whose credentials are checked (customers' or bank staff's).
  const realm: Realm = formData.get('realm') === 'staff' ? 'staff' : 'customer';
  const home = realm === 'staff' ? '/staff' : '/';
  const raw = { logonId: String(formData.get('logonId') ?? ''), password: String(formData.get('password') ?? ''), next: String(formData.get('next') ?? home) };
  const parsed = passwordSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<'logonId' | 'password', string>> = {};
    if (!raw.logonId.trim()) fieldErrors.logonId = t('required');
    if (!raw.password) fieldErrors.password = t('required');
    return { status: 'error', message: t(Object.keys(fieldErrors).length > 0 ? 'required' : 'invalid'), logonId: raw.logonId, fieldErrors };
  }
  // Counted per client network too (issue 16, defect 3): the server's reading of the address.
  const network = clientNetwork((await headers()).get(CLIENT_ADDRESS_HEADER));
  const result = await passwordStep(await getDb(), parsed.data.logonId, parsed.data.password, new Date(), realm, { network });
  if (!result.ok) {
    // Throttled or not, one generic answer: it tells nothing about this or any logon ID.
    return { status: 'error', message: t(result.reason === 'not_registered' ? 'notRegistered' : 'invalid'), logonId: parsed.data.logonId };
  }
  (await cookies()).set(CHALLENGE_COOKIE, result.challenge, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await isHttps(),
    path: '/',
    maxAge: CHALLENGE_TTL_MINUTES * 60,
  });
  const otpPage = realm === 'staff' ? '/staff/login/otp' : '/login/otp';
  redirect(`${otpPage}?next=${encodeURIComponent(safeNext(parsed.data.next, home))}`);
}

/** Step 2: the one-time password (Art. 2.1 本人確認). next-auth then issues the session cookie. */
export async function otpStepAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const t = await getTranslations('login');
  const otp = String(formData.get('otp') ?? '').trim();
  const next = safeNext(formData.get('next'));
  const jar = await cookies();
  const challenge = jar.get(CHALLENGE_COOKIE)?.value;
  if (!challenge) return { status: 'error', message: t('otpRestart'), restart: true };
  if (!/^\d{6}$/.test(otp)) return { status: 'error', message: t('otpFormat'), fieldErrors: { otp: t('otpFormat') } };
  try {
    if (next.startsWith('/consent/')) {
      // The consent screen's interaction cookie is scoped to its own path: reach it with a full
      // navigation, not a redirect rendered inside this request (which does not carry that cookie).
      await signIn('otp', { challenge, otp, redirect: false });
      jar.delete(CHALLENGE_COOKIE);
      return { status: 'continue', next };
    }
    await signIn('otp', { challenge, otp, redirectTo: next });
  } catch (error) {
    if (error instanceof AuthError) {
      if (error instanceof CredentialsSignin && error.code === 'restart') {
        jar.delete(CHALLENGE_COOKIE);
        return { status: 'error', message: t('otpRestart'), restart: true };
      }
      return { status: 'error', message: t('otpInvalid'), fieldErrors: { otp: t('otpInvalid') } };
    }
    jar.delete(CHALLENGE_COOKIE);
    throw error; // NEXT_REDIRECT on success
  }
  return { status: 'idle' };
}
