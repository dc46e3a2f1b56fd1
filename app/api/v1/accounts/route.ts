import { apiRoute } from '@/lib/api/problem';
import { authorizeApiCall } from '@/lib/api/authorize';
import { accountsOfLink } from '@/lib/api/resources';

export const dynamic = 'force-dynamic';

/**
 * The accounts named in the consent, for any item that concerns them: the information items, and
 * the instructions that need an account id (a transfers-only provider must learn which account it
 * may debit). Not for payees alone, which concerns no account of the customer's.
 */
const ACCOUNT_ITEMS = ['balances', 'statements', 'transfers', 'direct_debit_applications', 'direct_debit_transfers'] as const;

export const GET = apiRoute(async (request: Request): Promise<Response> => {
  const caller = await authorizeApiCall(request, [...ACCOUNT_ITEMS]);
  if (caller instanceof Response) return caller;
  return Response.json({ accounts: await accountsOfLink(caller) }, { headers: { 'Cache-Control': 'no-store' } });
});
