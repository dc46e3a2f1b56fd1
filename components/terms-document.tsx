import { articleHeading } from '@/lib/terms/render';
import type { TermsDocument } from '@/lib/terms/types';

/** The terms, article by article, exactly as published (always Japanese: the binding text). */
export function TermsDocumentView({ doc, idPrefix }: { doc: TermsDocument; idPrefix: string }) {
  return (
    <div lang="ja" className="space-y-8">
      {doc.articles.map((article) => (
        <section key={article.number} id={`${idPrefix}-art-${article.number}`} aria-labelledby={`${idPrefix}-art-${article.number}-h`} className="scroll-mt-6 space-y-3">
          <h3 id={`${idPrefix}-art-${article.number}-h`} className="text-lg font-bold">
            {articleHeading(article)}
          </h3>
          <ol className="space-y-3">
            {article.paragraphs.map((p) => (
              <li key={p.number} className="flex gap-2">
                <span className="tabular shrink-0 font-semibold">{p.number}</span>
                <div className="min-w-0 space-y-2">
                  <p>{p.text}</p>
                  {p.items.length > 0 ? (
                    <ol className="space-y-1">
                      {p.items.map((item) => (
                        <li key={item.number} className="flex gap-1.5">
                          <span className="tabular shrink-0">{item.number}</span>
                          <span>{item.text}</span>
                        </li>
                      ))}
                    </ol>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ))}
      <p className="text-right text-ink-muted">{doc.revisionNote}</p>
    </div>
  );
}
