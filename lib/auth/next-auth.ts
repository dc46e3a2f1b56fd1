import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { headers } from 'next/headers';
import { getDb } from '@/lib/db';
import { authSecret } from './secret';
import { SESSION_ABSOLUTE_HOURS, otpStep } from './sign-in';

declare module 'next-auth' {
  interface User {
    sid?: string;
  }
  interface Session {
    sid?: string;
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    sid?: string;
  }
}

/** Thrown by authorize(): the OTP step must restart from the password step. */
export class RestartSignIn extends CredentialsSignin {
  code = 'restart';
}

// next-auth carries only an opaque session id in its encrypted JWT cookie; the session itself
// lives in the database (idle 15 min, absolute 12 h, ends on sign-out) and is checked on every request.
export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: authSecret(),
  session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_HOURS * 3600 },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    Credentials({
      id: 'otp',
      credentials: { challenge: {}, otp: {} },
      async authorize(input) {
        const challenge = typeof input.challenge === 'string' ? input.challenge : '';
        const otp = typeof input.otp === 'string' ? input.otp.trim() : '';
        if (!challenge) throw new RestartSignIn();
        const userAgent = (await headers()).get('user-agent');
        const result = await otpStep(await getDb(), challenge, otp, { userAgent });
        if (!result.ok) {
          if (result.restart) throw new RestartSignIn();
          return null;
        }
        return { id: result.customerId ?? result.staffUserId ?? undefined, sid: result.sessionId };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.sid) token.sid = user.sid;
      return token;
    },
    session({ session, token }) {
      session.sid = typeof token.sid === 'string' ? token.sid : undefined;
      return session;
    },
  },
});
