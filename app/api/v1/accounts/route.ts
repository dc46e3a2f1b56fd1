import { apiRoute } from '@/lib/api/problem';
import { authorizeApiCall } from '@/lib/api/authorize';
import { accountsOfLink } from '@/lib/api/resources';

export const dynamic = 'force-dynamic';

/** The accounts named in the consent (any information item). */
export const GET = apiRoute(async (request: Request): Promise<Response> => {
  const caller = await authorizeApiCall(request, ['balances', 'statements']);
  if (caller instanceof Response) return caller;
  return Response.json({ accounts: await accountsOfLink(caller) }, { headers: { 'Cache-Control': 'no-store' } });
});
