import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { termsDocuments } from './documents';
import { articleHeading, termsToPlainText } from './render';
import type { TermsArticle, TermsDocument, TermsParagraph } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const bundledSourcePath = resolve(here, 'source/2020-08-21.txt');
const sharedSeedPath = resolve(repoRoot, '../shared/seeds/000_c2004c9528a588c6.txt');
const sharedSeedExists = existsSync(sharedSeedPath);

/**
 * Removes ALL whitespace. /\s/u covers ASCII space, tab, CR/LF, NBSP, the
 * ideographic space U+3000, U+2000–U+200A, U+FEFF, etc., and the same function
 * is applied to both sides of every comparison.
 */
const stripWhitespace = (s: string): string => s.replace(/\s/gu, '');

function getDoc(version: string): TermsDocument {
  const doc = termsDocuments[version];
  if (!doc) throw new Error(`missing terms document ${version}`);
  return doc;
}

function getArticle(doc: TermsDocument, n: number): TermsArticle {
  const article = doc.articles.find((a) => a.number === n);
  if (!article) throw new Error(`missing article ${n}`);
  return article;
}

function getParagraph(article: TermsArticle, index: number): TermsParagraph {
  const paragraph = article.paragraphs[index];
  if (!paragraph) throw new Error(`missing paragraph index ${index} in article ${article.number}`);
  return paragraph;
}

const doc2020 = getDoc('2020-08-21');
const doc2027 = getDoc('2027-04-01');
const bundledSource = readFileSync(bundledSourcePath, 'utf8');

describe('terms 2020-08-21: character-exact against the source', () => {
  it('(a) rendered text equals lib/terms/source/2020-08-21.txt, whitespace aside', () => {
    expect(stripWhitespace(termsToPlainText(doc2020))).toBe(stripWhitespace(bundledSource));
  });

  it.skipIf(!sharedSeedExists)('(b) rendered text equals ../shared/seeds/000_c2004c9528a588c6.txt, whitespace aside', () => {
    const seed = readFileSync(sharedSeedPath, 'utf8');
    expect(seed).toBe(bundledSource);
    expect(stripWhitespace(termsToPlainText(doc2020))).toBe(stripWhitespace(seed));
  });

  it('the source contains only ASCII space and LF as whitespace (no U+3000, NBSP, CR, tab)', () => {
    const kinds = new Set([...bundledSource].filter((c) => /\s/u.test(c)));
    expect([...kinds].sort()).toEqual(['\n', ' ']);
  });

  it('stored texts have no line breaks, odd spaces or surrounding whitespace', () => {
    const fields: string[] = [doc2020.title, doc2020.revisionNote];
    for (const a of doc2020.articles) {
      fields.push(a.heading);
      for (const p of a.paragraphs) {
        fields.push(p.number, p.text);
        for (const i of p.items) fields.push(i.number, i.text);
      }
    }
    for (const f of fields) {
      expect(f).toBe(f.trim());
      expect(f).not.toMatch(/[\t\n\r\u00a0\u3000]/u);
    }
    // The only inner whitespace is the source's own "Application Programming Interface".
    const withSpaces = fields.filter((f) => /\s/u.test(f));
    expect(withSpaces).toHaveLength(1);
    expect(withSpaces[0]).toContain('API（Application Programming Interface）');
  });
});

describe('terms 2020-08-21: structure', () => {
  it('(c) has title, revision note and 10 articles numbered 1..10', () => {
    expect(doc2020.title).toBe('口座連携サービス利用規定');
    expect(doc2020.revisionNote).toBe('（2020年8月21日改定）');
    expect(doc2020.articles.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('(c) item counts', () => {
    expect(getParagraph(getArticle(doc2020, 3), 0).items).toHaveLength(3);
    expect(getParagraph(getArticle(doc2020, 3), 1).items).toHaveLength(3);
    expect(getParagraph(getArticle(doc2020, 5), 1).items).toHaveLength(7);
    expect(getParagraph(getArticle(doc2020, 7), 0).items).toHaveLength(4);
    expect(getParagraph(getArticle(doc2020, 6), 1).items).toHaveLength(4);
  });

  it('paragraphs and items are numbered consecutively; markers kept as in the source', () => {
    for (const a of doc2020.articles) {
      a.paragraphs.forEach((p, pi) => {
        expect(p.number).toMatch(new RegExp(`^${pi + 1}[.．]$`, 'u'));
        p.items.forEach((item, ii) => expect(item.number).toBe(`(${ii + 1})`));
      });
    }
    expect(getParagraph(getArticle(doc2020, 8), 1).number).toBe('2．');
    expect(getParagraph(getArticle(doc2020, 8), 1).text.startsWith('当社は')).toBe(true);
  });

  it('articleHeading renders "第N条（heading）"', () => {
    expect(articleHeading(getArticle(doc2020, 1))).toBe('第1条（口座連携サービス）');
    expect(articleHeading(getArticle(doc2020, 10))).toBe('第10条（規定の準用）');
  });
});

describe('terms: the comparison can fail', () => {
  const expected = stripWhitespace(bundledSource);
  const rendered = (doc: TermsDocument): string => stripWhitespace(termsToPlainText(doc));

  it('(d) changing a single character breaks equality', () => {
    const mutated = structuredClone(doc2020);
    const p = getParagraph(getArticle(mutated, 3), 0);
    // "お客さま" -> "お客様": one character changed.
    p.text = p.text.replace('お客さま', 'お客様');
    expect(p.text).not.toBe(getParagraph(getArticle(doc2020, 3), 0).text);
    expect(rendered(mutated)).not.toBe(expected);
  });

  it('(d) changing a delimiter ("2．" -> "2.") breaks equality', () => {
    const mutated = structuredClone(doc2020);
    getParagraph(getArticle(mutated, 8), 1).number = '2.';
    expect(rendered(mutated)).not.toBe(expected);
  });

  it('(d) reordering items breaks equality', () => {
    const mutated = structuredClone(doc2020);
    getParagraph(getArticle(mutated, 5), 1).items.reverse();
    expect(rendered(mutated)).not.toBe(expected);
  });

  it('the unmodified clone still matches (sanity)', () => {
    expect(rendered(structuredClone(doc2020))).toBe(expected);
  });
});

describe('terms 2027-04-01 (announced future demo revision)', () => {
  const addedText = '前項の一定期間は、外部サービス事業者ごとに当社が定める期間とし、当社ホームページに掲載します。';

  it('(e) adds Art. 4 paragraph 2 and a new revision note', () => {
    const art4 = getArticle(doc2027, 4);
    expect(art4.paragraphs).toHaveLength(2);
    expect(getParagraph(art4, 1)).toEqual({ number: '2.', text: addedText, items: [] });
    expect(`${getParagraph(art4, 1).number}${getParagraph(art4, 1).text}`).toBe(`2.${addedText}`);
    expect(doc2027.revisionNote).toBe('（2027年4月1日改定）');
  });

  it('(e) is otherwise identical to 2020-08-21', () => {
    const reverted = structuredClone(doc2027);
    getArticle(reverted, 4).paragraphs.splice(1, 1);
    reverted.revisionNote = doc2020.revisionNote;
    expect(reverted).toEqual(doc2020);
    expect(stripWhitespace(termsToPlainText(reverted))).toBe(stripWhitespace(bundledSource));
  });

  it('(e) rendered 2027 text differs from the source only by the addition and the note', () => {
    const expected2027 = stripWhitespace(bundledSource)
      .replace('認証手続きを行う必要があります。', `認証手続きを行う必要があります。2.${addedText}`)
      .replace('（2020年8月21日改定）', '（2027年4月1日改定）');
    expect(stripWhitespace(termsToPlainText(doc2027))).toBe(expected2027);
  });
});
