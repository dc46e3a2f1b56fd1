import { apiRoute } from '@/lib/api/problem';
import { applyForDirectDebit, directDebitApplicationSchema } from '@/lib/api/direct-debits';
import { handleIdempotentPost } from '@/lib/api/idempotent-post';

export const dynamic = 'force-dynamic';

/** Art. 3.2(2) 口座振替に関するお申込み. */
export const POST = apiRoute(async (request: Request): Promise<Response> => {
  return handleIdempotentPost(request, ['direct_debit_applications'], directDebitApplicationSchema, applyForDirectDebit);
});
