/**
 * Structured form of the bank's terms of use (口座連携サービス利用規定).
 *
 * Every non-whitespace character of the original wording is kept exactly
 * (full-width punctuation, half-width "(1)" item markers, the "．" in "2．").
 */

/** A numbered item inside a paragraph, e.g. "(1)口座残高…". */
export type TermsItem = {
  /** Item marker exactly as in the source, e.g. "(1)" (half-width parentheses). */
  number: string;
  /** Item text without the marker. */
  text: string;
};

/** A numbered paragraph (項) of an article. */
export type TermsParagraph = {
  /**
   * Paragraph marker exactly as in the source, including its delimiter:
   * "1.", "2." or "2．" (full-width full stop, Art. 8 para. 2). Whitespace that
   * followed the delimiter in the PDF extraction ("2. 前項") is not stored.
   */
  number: string;
  /** Paragraph body without the marker: the broken source lines joined with no separator. */
  text: string;
  /** Numbered items following the paragraph body (may be empty). */
  items: TermsItem[];
};

/** An article (条). Rendered heading: see `articleHeading` in ./render. */
export type TermsArticle = {
  /** Article number, 1-based. */
  number: number;
  /** Heading text inside the full-width parentheses, e.g. "口座連携サービス". */
  heading: string;
  paragraphs: TermsParagraph[];
};

export type TermsDocument = {
  /** e.g. "口座連携サービス利用規定" */
  title: string;
  articles: TermsArticle[];
  /** e.g. "（2020年8月21日改定）" */
  revisionNote: string;
};
