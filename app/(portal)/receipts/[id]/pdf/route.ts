import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { receiptSheet } from '@/components/receipt-text';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { getReceipt } from '@/lib/receipts/queries';
import { receiptPdf } from '@/lib/receipts/pdf';

/**
 * GET /receipts/<id>/pdf: the receipt as a PDF file to keep (issue 14 §2), the same sheet as the
 * page, in the customer's language. Only the customer's own; anyone else's is a 404.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const principal = await requireCustomer(`/receipts/${id}`);
  const receipt = await getReceipt(await getDb(), principal, id);
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  if (!receipt) return new Response(t('receipts.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  const sheet = receiptSheet(t as unknown as Parameters<typeof receiptSheet>[0], (d, style) => format.dateTime(d, style), locale, receipt);
  const pdf = await receiptPdf(sheet, { number: receipt.number, locale, createdAt: receipt.at });
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="renkei-receipt-${receipt.number}.pdf"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
