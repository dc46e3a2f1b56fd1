import { describe, expect, it } from 'vitest';
import { termsDocuments } from './documents';
import { parseTermsJson, parseTermsText, TermsParseError } from './parse';
import { termsToPlainText } from './render';

const SMALL = ['口座連携サービス利用規定', '', '第1条（目的）', '1.本文です。', '(1)項目一', '(2)項目二', '2．第二項です。', '', '第2条（準用）', '1.その他。', '', '（2027年10月1日改定）', ''].join('\n');

function parseError(text: string): TermsParseError {
  try {
    parseTermsText(text);
  } catch (error) {
    if (error instanceof TermsParseError) return error;
    throw error;
  }
  throw new Error('expected a TermsParseError');
}

function replaceLine(text: string, lineNumber: number, replacement: string | null): string {
  const lines = text.split('\n');
  if (replacement === null) lines.splice(lineNumber - 1, 1);
  else lines[lineNumber - 1] = replacement;
  return lines.join('\n');
}

describe('parseTermsText', () => {
  for (const [version, doc] of Object.entries(termsDocuments)) {
    it(`round-trips the shipped ${version} text: parse(termsToPlainText(doc)) equals doc`, () => {
      expect(parseTermsText(termsToPlainText(doc))).toEqual(doc);
    });
  }

  it('reads a small document with paragraphs, items and both full stops', () => {
    expect(parseTermsText(SMALL)).toEqual({
      title: '口座連携サービス利用規定',
      articles: [
        {
          number: 1,
          heading: '目的',
          paragraphs: [
            { number: '1.', text: '本文です。', items: [{ number: '(1)', text: '項目一' }, { number: '(2)', text: '項目二' }] },
            { number: '2．', text: '第二項です。', items: [] },
          ],
        },
        { number: 2, heading: '準用', paragraphs: [{ number: '1.', text: 'その他。', items: [] }] },
      ],
      revisionNote: '（2027年10月1日改定）',
    });
  });

  it('accepts what a textarea and the PDF extraction bring: CRLF, extra blank lines, indents, "第 1 条", a space after the marker', () => {
    const loose = SMALL.replace('第1条（目的）', '第 1 条（目的） ').replace('(1)項目一', '  (1)項目一').replace('1.本文です。', '1. 本文です。').replace(/\n/g, '\r\n\r\n');
    expect(parseTermsText(loose)).toEqual(parseTermsText(SMALL));
  });

  it('keeps a full-width item marker as typed', () => {
    const doc = parseTermsText(SMALL.replace('(2)項目二', '（2）項目二'));
    expect(doc.articles[0]?.paragraphs[0]?.items[1]).toEqual({ number: '（2）', text: '項目二' });
  });

  it.each([
    ['an empty text', '  \n\n', 'empty', 1],
    ['a heading where the title should be', SMALL.split('\n').slice(2).join('\n'), 'title_missing', 1],
    ['text between the title and the first article', replaceLine(SMALL, 2, '前文です。'), 'expected_article', 2],
    ['a skipped article number', replaceLine(SMALL, 9, '第3条（準用）'), 'article_number', 9],
    ['an empty heading', replaceLine(SMALL, 3, '第1条（）'), 'heading_empty', 3],
    ['an article with no paragraph', replaceLine(SMALL, 10, null), 'article_without_paragraphs', 9],
    ['a paragraph out of order', replaceLine(SMALL, 7, '3．第二項です。'), 'paragraph_number', 7],
    ['a paragraph without text', replaceLine(SMALL, 7, '2．'), 'paragraph_empty', 7],
    ['an item before any paragraph', replaceLine(SMALL, 4, '(1)本文です。'), 'item_before_paragraph', 4],
    ['an item out of order', replaceLine(SMALL, 6, '(3)項目二'), 'item_number', 6],
    ['an item without text', replaceLine(SMALL, 6, '(2) '), 'item_empty', 6],
    ['a line without a marker', replaceLine(SMALL, 6, '項目二'), 'unexpected_line', 6],
    ['no revision note at the end', replaceLine(SMALL, 12, null), 'revision_note', 10],
    ['a title only', '口座連携サービス利用規定\n', 'no_articles', 1],
  ] as const)('reports %s with its line number', (_label, text, code, line) => {
    const error = parseError(text);
    expect(error.code).toBe(code);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
  });

  it('says which number it expected', () => {
    const error = parseError(replaceLine(SMALL, 9, '第3条（準用）'));
    expect(error.params).toEqual({ expected: 2, found: 3 });
    expect(error.message).toBe('line 9: expected article 2, found article 3');
  });

  it('counts lines of a CRLF text like an editor does', () => {
    const error = parseError(replaceLine(SMALL, 6, '項目二').replace(/\n/g, '\r\n'));
    expect(error.line).toBe(6);
  });

  it('reads a JSON document of the shipped shape, with the same structure rules', () => {
    const doc = termsDocuments['2027-04-01']!;
    expect(parseTermsJson(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
    expect(() => parseTermsJson({ title: 'x', articles: [] })).toThrow(/not a terms document: articles/);
    expect(() => parseTermsJson({ ...doc, articles: doc.articles.slice(1) })).toThrow(TermsParseError);
  });
});
