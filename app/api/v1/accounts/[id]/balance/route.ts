import { authorizeApiCall } from '@/lib/api/authorize';
import { apiRoute, notFound } from '@/lib/api/problem';
import { balanceOf } from '@/lib/api/resources';
import { isUuid } from '@/lib/domain/ids';

export const dynamic = 'force-dynamic';

/** Art. 3.1(1) 口座残高. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> => {
  const { id } = await params;
  const caller = await authorizeApiCall(request, ['balances'], isUuid(id) ? id : '00000000-0000-0000-0000-000000000000');
  if (caller instanceof Response) return caller;
  const balance = await balanceOf(caller, id);
  return balance ? Response.json(balance, { headers: { 'Cache-Control': 'no-store' } }) : notFound();
});
