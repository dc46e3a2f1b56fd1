import type { TermsArticle, TermsDocument } from './types';

/** Rendered article heading, e.g. "第1条（口座連携サービス）". */
export function articleHeading(a: TermsArticle): string {
  return `第${a.number}条（${a.heading}）`;
}

/**
 * The whole document as plain text in reading order: title, then per article
 * its heading, each paragraph (marker + text) and each item (marker + text),
 * then the revision note. Sections are separated by blank lines.
 */
export function termsToPlainText(doc: TermsDocument): string {
  const blocks: string[] = [doc.title];
  for (const article of doc.articles) {
    const lines: string[] = [articleHeading(article)];
    for (const paragraph of article.paragraphs) {
      lines.push(`${paragraph.number}${paragraph.text}`);
      for (const item of paragraph.items) {
        lines.push(`${item.number}${item.text}`);
      }
    }
    blocks.push(lines.join('\n'));
  }
  blocks.push(doc.revisionNote);
  return `${blocks.join('\n\n')}\n`;
}
