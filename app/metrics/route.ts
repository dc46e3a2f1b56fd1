import { timingSafeEqual } from 'node:crypto';
import { currentStaff } from '@/lib/auth/principal';
import { env } from '@/lib/env';
import { registry } from '@/lib/observability/metrics';

export const dynamic = 'force-dynamic';

function bearerMatches(request: Request): boolean {
  const expected = env.METRICS_TOKEN;
  const [scheme, given] = (request.headers.get('authorization') ?? '').split(' ');
  if (!expected || scheme?.toLowerCase() !== 'bearer' || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics (text format): for the bank's monitoring with `Authorization: Bearer
 * <METRICS_TOKEN>`, or for a signed-in operator. Never public: the figures describe the bank's
 * providers and traffic.
 */
export async function GET(request: Request): Promise<Response> {
  if (!bearerMatches(request)) {
    const staff = await currentStaff();
    if (!staff) {
      return Response.json({ error: 'unauthorized', detail: 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as an operator.' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' } });
    }
    if (staff.role !== 'operator') return Response.json({ error: 'forbidden', detail: 'Only operators may read the metrics.' }, { status: 403, headers: { 'Cache-Control': 'no-store' } });
  }
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } });
}
