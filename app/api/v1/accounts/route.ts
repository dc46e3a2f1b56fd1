import { authorizeApiCall } from '@/lib/api/authorize';
import { accountsOfLink } from '@/lib/api/resources';

export const dynamic = 'force-dynamic';

/** The accounts named in the consent (any information item). */
export async function GET(request: Request): Promise<Response> {
  const caller = await authorizeApiCall(request, ['balances', 'statements']);
  if (caller instanceof Response) return caller;
  return Response.json({ accounts: await accountsOfLink(caller) }, { headers: { 'Cache-Control': 'no-store' } });
}
