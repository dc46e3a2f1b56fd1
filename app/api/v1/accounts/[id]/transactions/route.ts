import { z } from 'zod';
import { authorizeApiCall } from '@/lib/api/authorize';
import { apiRoute, problem } from '@/lib/api/problem';
import { parseCursor, transactionsOf } from '@/lib/api/resources';
import { isUuid } from '@/lib/domain/ids';

export const dynamic = 'force-dynamic';
const day = z.string().date();

/** Art. 3.1(2) お取引明細: `from` and `to` are dates (Asia/Tokyo, `to` exclusive), newest first, cursor pagination. */
export const GET = apiRoute(async (request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> => {
  const { id } = await params;
  const caller = await authorizeApiCall(request, ['statements'], isUuid(id) ? id : '00000000-0000-0000-0000-000000000000');
  if (caller instanceof Response) return caller;
  const search = new URL(request.url).searchParams;
  const from = search.get('from');
  const to = search.get('to');
  if ((from && !day.safeParse(from).success) || (to && !day.safeParse(to).success)) {
    return problem('invalid-parameter', '`from` and `to` must be dates (YYYY-MM-DD).');
  }
  const cursor = parseCursor(search.get('cursor'));
  if (cursor === 'invalid') return problem('invalid-parameter', '`cursor` is not one this API returned.');
  const result = await transactionsOf(caller, id, {
    from: from ? new Date(`${from}T00:00:00+09:00`) : undefined,
    to: to ? new Date(`${to}T00:00:00+09:00`) : undefined,
    cursor: cursor ?? undefined,
  });
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
