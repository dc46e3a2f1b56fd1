import { getDb } from '@/lib/db';
import { e2eHooks } from '@/lib/env';
import { databaseDigest } from '@/lib/testing/db-digest';

// End-to-end tests only (RENKEI_E2E_HOOKS=1 in sandbox mode): not found everywhere else.
export async function GET(): Promise<Response> {
  if (!e2eHooks) return new Response('Not Found', { status: 404 });
  return Response.json(await databaseDigest(await getDb()), { headers: { 'Cache-Control': 'no-store' } });
}
