import { flushCallStats } from '@/lib/api/call-stats';
import { getDb } from '@/lib/db';
import { figuresReader } from '@/lib/observability/access';
import { dailyServiceReport, lastHourByProvider } from '@/lib/operations/service-report';

export const dynamic = 'force-dynamic';

/**
 * The daily service report (Australia's CDR "Get Metrics" as a model: availability, performance
 * within 1000 / 1500 ms, invocations, average response, errors, rejections, average and peak
 * rate), today first, Asia/Tokyo days, with the last hour per provider. For an operator or the
 * metrics token.
 */
export async function GET(request: Request): Promise<Response> {
  const reader = await figuresReader(request);
  if (reader instanceof Response) return reader;
  const db = await getDb();
  // This instance's last seconds of figures first; other instances add theirs every 10 s.
  await flushCallStats(db).catch(() => {});
  const now = new Date();
  const [days, lastHour] = await Promise.all([dailyServiceReport(db, reader, now), lastHourByProvider(db, reader, now)]);
  return Response.json(
    {
      requestTime: now.toISOString(),
      timeZone: 'Asia/Tokyo',
      note: 'Figures from every instance, each added within 10 s. availability: the share of the day outside maintenance windows. performance: the share of provider API calls answered within 1000 and 1500 ms. peakTps: the busiest minute.',
      days,
      lastHourByProvider: lastHour.map(({ nameJa: _ja, nameEn, ...rest }) => ({ ...rest, name: nameEn })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
