import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { oauthRecords } from '@/lib/db/schema';
import { e2eHooks } from '@/lib/env';

const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
const body = z.object({ requestUri: z.string().startsWith(REQUEST_URI_PREFIX).max(200) });

// End-to-end tests only (RENKEI_E2E_HOOKS=1 in sandbox mode): a pushed authorization request as
// if its 60 s had passed — the stored record's expiry and oidc-provider's own `exp` both a second
// ago — so a test can watch /authorize refuse it without waiting a minute
// (e2e/oauth-protocol.spec.ts).
export async function POST(request: Request): Promise<Response> {
  if (!e2eHooks) return new Response('Not Found', { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: `requestUri, starting ${REQUEST_URI_PREFIX}` }, { status: 400 });
  const now = Date.now();
  const exp = Math.floor(now / 1000) - 1;
  const expired = await (await getDb())
    .update(oauthRecords)
    .set({ expiresAt: new Date(now - 1000), payload: sql`jsonb_set(${oauthRecords.payload}, '{exp}', to_jsonb(${exp}::bigint))` })
    .where(and(eq(oauthRecords.model, 'PushedAuthorizationRequest'), eq(oauthRecords.id, parsed.data.requestUri.slice(REQUEST_URI_PREFIX.length))))
    .returning({ id: oauthRecords.id });
  return Response.json({ expired: expired.length }, { headers: { 'Cache-Control': 'no-store' } });
}
