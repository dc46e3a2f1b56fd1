import 'server-only';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { ReceiptSheet } from '@/components/receipt-text';

// A receipt as a PDF file of its own (issue 14 §2): pdfkit, with Noto Sans JP (SIL Open Font
// License, from @expo-google-fonts/noto-sans-jp) embedded as a subset of the glyphs used, so the
// file shows the same Japanese text in any reader and its text can be copied and searched.
// A4, one sheet: the same rows as the receipt page (components/receipt-text.ts).

const fontPackage = createRequire(path.join(process.cwd(), 'package.json'));
const FONT_REGULAR = fontPackage.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf');
const FONT_BOLD = fontPackage.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf');

const MARGIN = 56; // 2 cm
const LABEL_WIDTH = 130;
const GAP = 16;
const INK = '#1f2933';
const MUTED = '#52606d';
const LINE = '#cbd2d9';

export async function receiptPdf(sheet: ReceiptSheet, meta: { number: string; locale: string; createdAt: Date }): Promise<Buffer> {
  const [regular, bold] = await Promise.all([readFile(FONT_REGULAR), readFile(FONT_BOLD)]);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: meta.locale === 'en' ? 'en' : 'ja',
    displayTitle: true,
    info: { Title: `${sheet.title} ${meta.number}`, Author: sheet.issuer, Subject: sheet.title, CreationDate: meta.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const width = doc.page.width - MARGIN * 2;
  const valueX = MARGIN + LABEL_WIDTH + GAP;
  const valueWidth = width - LABEL_WIDTH - GAP;

  doc.font('bold').fontSize(10).fillColor(MUTED).text(sheet.issuer, MARGIN, MARGIN, { width });
  doc.moveDown(0.3);
  doc.font('bold').fontSize(20).fillColor(INK).text(sheet.title, { width });
  doc.moveDown(0.6);
  const rule = () => {
    doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.5).strokeColor(LINE).stroke();
  };
  rule();
  doc.moveDown(0.8);
  for (const row of sheet.rows) {
    const top = doc.y;
    doc.font('bold').fontSize(10).fillColor(MUTED).text(row.label, MARGIN, top, { width: LABEL_WIDTH });
    const labelBottom = doc.y;
    doc.y = top;
    row.lines.forEach((line, i) => {
      const strong = row.strongFirst && i === 0;
      doc.font(strong ? 'bold' : 'regular').fontSize(row.strongFirst && i > 0 ? 9.5 : 11).fillColor(INK).text(line, valueX, doc.y, { width: valueWidth });
    });
    doc.y = Math.max(doc.y, labelBottom) + 8;
  }
  doc.moveDown(0.4);
  rule();
  doc.moveDown(0.8);
  doc.font('regular').fontSize(9).fillColor(MUTED).text(sheet.footnote, MARGIN, doc.y, { width });
  doc.end();
  return done;
}
