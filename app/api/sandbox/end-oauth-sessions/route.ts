import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { oauthRecords } from '@/lib/db/schema';
import { e2eHooks } from '@/lib/env';

// End-to-end tests only (RENKEI_E2E_HOOKS=1 in sandbox mode): ends every authorization-server
// browser session, as 30 minutes would, to prove a provider's tokens do not depend on it.
export async function POST(): Promise<Response> {
  if (!e2eHooks) return new Response('Not Found', { status: 404 });
  const ended = await (await getDb()).delete(oauthRecords).where(eq(oauthRecords.model, 'Session')).returning({ id: oauthRecords.id });
  return Response.json({ ended: ended.length }, { headers: { 'Cache-Control': 'no-store' } });
}
