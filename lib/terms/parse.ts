import { z } from 'zod';
import { termsToPlainText } from './render';
import type { TermsArticle, TermsDocument, TermsParagraph } from './types';

// The inverse of `termsToPlainText` (./render): an operator edits the plain text of the latest
// version and publishes it (Art. 9). Strict on structure (every line inside an article starts
// with a paragraph or item marker, numbers run 1, 2, 3 …) so a slip is reported with its line,
// never silently merged into the paragraph above.

export type TermsParseErrorCode =
  | 'empty'
  | 'title_missing'
  | 'expected_article'
  | 'article_number'
  | 'heading_empty'
  | 'article_without_paragraphs'
  | 'paragraph_number'
  | 'paragraph_empty'
  | 'item_before_paragraph'
  | 'item_number'
  | 'item_empty'
  | 'unexpected_line'
  | 'no_articles'
  | 'revision_note';

/** Malformed terms text: `line` is 1-based, `code` picks the operator-facing message. */
export class TermsParseError extends Error {
  constructor(
    readonly code: TermsParseErrorCode,
    readonly line: number,
    readonly params: { expected?: number; found?: number } = {},
  ) {
    super(`line ${line}: ${describe(code, params)}`);
    this.name = 'TermsParseError';
  }
}

function describe(code: TermsParseErrorCode, p: { expected?: number; found?: number }): string {
  switch (code) {
    case 'empty':
      return 'the text is empty';
    case 'title_missing':
      return 'the first line must be the title (e.g. 口座連携サービス利用規定), not an article heading';
    case 'expected_article':
      return 'expected an article heading such as 第1条（口座連携サービス）';
    case 'article_number':
      return `expected article ${p.expected}, found article ${p.found}`;
    case 'heading_empty':
      return 'the article heading has no text inside （）';
    case 'article_without_paragraphs':
      return 'the article has no paragraph (a line starting with 1.)';
    case 'paragraph_number':
      return `expected paragraph ${p.expected}., found ${p.found}.`;
    case 'paragraph_empty':
      return 'the paragraph has no text after its number';
    case 'item_before_paragraph':
      return 'an item (1) must follow a paragraph';
    case 'item_number':
      return `expected item (${p.expected}), found (${p.found})`;
    case 'item_empty':
      return 'the item has no text after its number';
    case 'unexpected_line':
      return 'each line of an article must start with a paragraph number (1.) or an item number ((1))';
    case 'no_articles':
      return 'no article found (第1条（…）)';
    case 'revision_note':
      return 'the last line must be the revision note, e.g. （2027年4月1日改定）';
  }
}

// 第1条（見出し）; the PDF extraction's "第 1 条" and full-width digits are accepted too.
const HEADING = /^第\s*([0-9０-９]+)\s*条\s*（(.*)）$/u;
// "1." or "2．" (the source's own full-width full stop), then the text (spaces after the marker dropped).
const PARAGRAPH = /^([0-9０-９]+)([.．])\s*(.*)$/u;
// "(1)" as in the source; "（1）" kept as typed.
const ITEM = /^(\(([0-9０-９]+)\)|（([0-9０-９]+)）)\s*(.*)$/u;
const REVISION_NOTE = /^（.+）$/u;

function toNumber(digits: string): number {
  return Number.parseInt(digits.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)), 10);
}

/** Parses the plain text of a terms version (title, articles, revision note) into a `TermsDocument`. */
export function parseTermsText(text: string): TermsDocument {
  // A textarea submits CRLF; stored texts carry no surrounding whitespace.
  const lines = text
    .replace(/^\uFEFF/u, '')
    .split(/\r\n|\r|\n/u)
    .map((raw, index) => ({ text: raw.trim(), line: index + 1 }))
    .filter((l) => l.text !== '');
  const first = lines[0];
  const last = lines.at(-1);
  if (!first || !last) throw new TermsParseError('empty', 1);
  if (HEADING.test(first.text)) throw new TermsParseError('title_missing', first.line);
  if (lines.length < 2 || !HEADING.test(lines[1]!.text)) {
    throw new TermsParseError(lines.length < 2 ? 'no_articles' : 'expected_article', lines[1]?.line ?? first.line);
  }
  if (last === first || !REVISION_NOTE.test(last.text) || HEADING.test(last.text)) throw new TermsParseError('revision_note', last.line);

  const articles: TermsArticle[] = [];
  let article: { value: TermsArticle; line: number } | null = null;
  let paragraph: TermsParagraph | null = null;
  const closeArticle = () => {
    if (article && article.value.paragraphs.length === 0) throw new TermsParseError('article_without_paragraphs', article.line);
  };

  for (const { text: content, line } of lines.slice(1, -1)) {
    const heading = HEADING.exec(content);
    if (heading) {
      closeArticle();
      const number = toNumber(heading[1]!);
      const expected = articles.length + 1;
      if (number !== expected) throw new TermsParseError('article_number', line, { expected, found: number });
      const title = heading[2]!.trim();
      if (title === '') throw new TermsParseError('heading_empty', line);
      article = { value: { number, heading: title, paragraphs: [] }, line };
      articles.push(article.value);
      paragraph = null;
      continue;
    }
    if (!article) throw new TermsParseError('expected_article', line);
    const item = ITEM.exec(content);
    if (item) {
      if (!paragraph) throw new TermsParseError('item_before_paragraph', line);
      const number = toNumber(item[2] ?? item[3]!);
      const expected = paragraph.items.length + 1;
      if (number !== expected) throw new TermsParseError('item_number', line, { expected, found: number });
      const body = item[4]!.trim();
      if (body === '') throw new TermsParseError('item_empty', line);
      paragraph.items.push({ number: item[1]!, text: body });
      continue;
    }
    const para = PARAGRAPH.exec(content);
    if (para) {
      const number = toNumber(para[1]!);
      const expected = article.value.paragraphs.length + 1;
      if (number !== expected) throw new TermsParseError('paragraph_number', line, { expected, found: number });
      const body = para[3]!.trim();
      if (body === '') throw new TermsParseError('paragraph_empty', line);
      paragraph = { number: `${para[1]}${para[2]}`, text: body, items: [] };
      article.value.paragraphs.push(paragraph);
      continue;
    }
    throw new TermsParseError('unexpected_line', line);
  }
  closeArticle();
  return { title: first.text, articles, revisionNote: last.text };
}

const text = z.string().trim().min(1);
const termsDocumentShape = z.object({
  title: text,
  articles: z
    .array(
      z.object({
        number: z.number().int().positive(),
        heading: text,
        paragraphs: z.array(z.object({ number: text, text, items: z.array(z.object({ number: text, text })) })),
      }),
    )
    .min(1),
  revisionNote: text,
});

/**
 * A terms document given as JSON (the shape of lib/terms/texts/*.json). Checked for its shape, then
 * rendered and parsed again so it obeys the same structure rules as the plain text; a
 * `TermsParseError` then counts lines in that rendered text (`termsToPlainText`).
 */
export function parseTermsJson(value: unknown): TermsDocument {
  const shape = termsDocumentShape.safeParse(value);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw new Error(`not a terms document: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parseTermsText(termsToPlainText(shape.data));
}
