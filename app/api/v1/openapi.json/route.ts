import { openApiDocument } from '@/lib/api/openapi';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** The provider API's OpenAPI 3.1 document (public). */
export function GET(request: Request): Response {
  const origin = env.PUBLIC_ORIGIN ?? new URL(request.url).origin;
  return Response.json(openApiDocument(origin), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
