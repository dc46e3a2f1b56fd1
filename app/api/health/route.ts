export const dynamic = 'force-dynamic';

/**
 * Liveness for operators and load balancers: the process is up and answering (the server answers
 * only after start-up has run the migrations). It touches no database and says nothing about the
 * deployment, so it is safe to leave public. `npm run bench` uses it as the bare baseline: the
 * same server, the same proxy (security headers), no consent check.
 */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
