import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { auth } from '@/lib/auth/next-auth';
import { sha256 } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db';
import { sessions } from '@/lib/db/schema';
import { e2eHooks } from '@/lib/env';

const body = z.object({ idleMinutes: z.number().min(0).max(24 * 60), ageMinutes: z.number().min(0).max(48 * 60) });

// End-to-end tests only (RENKEI_E2E_HOOKS=1 in sandbox mode): the caller's own session as if the
// clock had moved on — last seen `idleMinutes` ago, signed in `ageMinutes` ago — so a test can
// watch the idle (15 min) and absolute (12 h) timeouts end it (e2e/security.spec.ts SEC-SESSION-2).
export async function POST(request: Request): Promise<Response> {
  if (!e2eHooks) return new Response('Not Found', { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: 'idleMinutes and ageMinutes, in minutes' }, { status: 400 });
  const sid = (await auth())?.sid;
  if (!sid) return Response.json({ error: 'no session' }, { status: 401 });
  const now = Date.now();
  const aged = await (await getDb())
    .update(sessions)
    .set({ lastSeenAt: new Date(now - parsed.data.idleMinutes * 60_000), createdAt: new Date(now - parsed.data.ageMinutes * 60_000) })
    .where(eq(sessions.idHash, sha256(sid)))
    .returning({ idHash: sessions.idHash });
  return Response.json({ aged: aged.length }, { headers: { 'Cache-Control': 'no-store' } });
}
