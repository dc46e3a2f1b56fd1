import { apiRoute } from '@/lib/api/problem';
import { directDebitTransferSchema, executeDirectDebitTransfer } from '@/lib/api/direct-debits';
import { handleIdempotentPost } from '@/lib/api/idempotent-post';

export const dynamic = 'force-dynamic';

/** Art. 3.2(3) 口座振替契約に基づく資金移動. */
export const POST = apiRoute(async (request: Request): Promise<Response> => {
  return handleIdempotentPost(request, ['direct_debit_transfers'], directDebitTransferSchema, executeDirectDebitTransfer);
});
