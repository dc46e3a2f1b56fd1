import { openDatabase } from '@/lib/db';
import { isDraining } from '@/lib/observability/lifecycle';
import { checkReadiness, expectedMigration } from '@/lib/observability/readiness';

export const dynamic = 'force-dynamic';

const expected = expectedMigration();

/** Readiness (docs/operations.md): 200 when this instance can serve, else 503 and the reason. */
export async function GET(): Promise<Response> {
  const database = await openDatabase();
  const readiness = await checkReadiness({ draining: isDraining(), db: database?.db ?? null, expected });
  return Response.json(readiness.ready ? { status: 'ready' } : { status: 'unavailable', reason: readiness.reason }, {
    status: readiness.ready ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
