import { timingSafeEqual } from 'node:crypto';
import { currentStaff } from '@/lib/auth/principal';
import type { OperatorPrincipal } from '@/lib/auth/types';
import type { ServiceReader } from '@/lib/operations/service-report';
import { env } from '@/lib/env';

/**
 * Who may read the service figures (/metrics, /api/operations/report): the bank's monitoring with
 * `Authorization: Bearer <METRICS_TOKEN>`, or a signed-in operator. Anyone else gets the answer to
 * send (401 or 403).
 */
function bearerMatches(request: Request): boolean {
  const expected = env.METRICS_TOKEN;
  const [scheme, given] = (request.headers.get('authorization') ?? '').split(' ');
  if (!expected || scheme?.toLowerCase() !== 'bearer' || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function figuresReader(request: Request): Promise<ServiceReader | Response> {
  if (bearerMatches(request)) return { kind: 'monitoring' };
  const staff = await currentStaff();
  const headers = { 'Cache-Control': 'no-store' };
  if (!staff) {
    return Response.json({ error: 'unauthorized', detail: 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as an operator.' }, { status: 401, headers: { ...headers, 'WWW-Authenticate': 'Bearer realm="metrics"' } });
  }
  if (staff.role !== 'operator') return Response.json({ error: 'forbidden', detail: 'Only operators may read the service figures.' }, { status: 403, headers });
  return staff as OperatorPrincipal;
}
