import { apiRoute } from '@/lib/api/problem';
import { authorizeApiCall } from '@/lib/api/authorize';
import { payeesOf } from '@/lib/api/resources';

export const dynamic = 'force-dynamic';

/** Art. 3.1(3) 登録済の振込先. */
export const GET = apiRoute(async (request: Request): Promise<Response> => {
  const caller = await authorizeApiCall(request, ['payees']);
  if (caller instanceof Response) return caller;
  return Response.json({ payees: await payeesOf(caller) }, { headers: { 'Cache-Control': 'no-store' } });
});
