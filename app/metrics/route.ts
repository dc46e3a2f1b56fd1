import { figuresReader } from '@/lib/observability/access';
import { registry } from '@/lib/observability/metrics';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics (text format): for the bank's monitoring with `Authorization: Bearer
 * <METRICS_TOKEN>`, or for a signed-in operator. Never public: the figures describe the bank's
 * providers and traffic.
 */
export async function GET(request: Request): Promise<Response> {
  const reader = await figuresReader(request);
  if (reader instanceof Response) return reader;
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } });
}
