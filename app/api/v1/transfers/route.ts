import { apiRoute } from '@/lib/api/problem';
import { handleIdempotentPost } from '@/lib/api/idempotent-post';
import { executeTransfer, transferRequestSchema } from '@/lib/api/transfers';

export const dynamic = 'force-dynamic';

/** Art. 3.2(1) 振込: POST with an Idempotency-Key. */
export const POST = apiRoute(async (request: Request): Promise<Response> => {
  return handleIdempotentPost(request, ['transfers'], transferRequestSchema, executeTransfer);
});
