import { getLocale, getTranslations } from 'next-intl/server';
import { isPermissionItem } from '@/lib/domain/permission-items';
import { Card } from '@/components/ui/card';
import { Code, CodeBlock } from './code-block';
import { FieldList, type DescribedField } from './field-list';
import { MethodBadge } from './method-badge';
import { curlOf, json, type ApiOperation, type Field, type OpenApiDoc } from './openapi-model';

const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No Content' };

/** One operation of the document: what it needs, takes and returns, how it fails, and an example. */
export async function OperationSection({ op, doc }: { op: ApiOperation; doc: OpenApiDoc }) {
  const [t, tPortal, locale] = await Promise.all([getTranslations('ApiDocs'), getTranslations(), getLocale()]);
  const text = (key: string, fallback?: string) => (t.has(key) ? t(key) : fallback);
  const described = (fields: Field[]): DescribedField[] => fields.map((f) => ({ ...f, text: text(`fields.${f.owner ?? 'list'}.${f.key}`, f.description) }));
  const statusDetail = (status: string, documented: string) => (locale === 'ja' ? text(`statusDetails.${status}`, documented) : documented || text(`statusDetails.${status}`));
  const headingId = `${op.anchor}-title`;
  return (
    <section id={op.anchor} aria-labelledby={headingId} className="scroll-mt-4" data-testid="operation" data-operation={op.id}>
      <Card className="space-y-5">
        <div className="space-y-2">
          <h3 id={headingId} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-lg font-bold">
            <MethodBadge method={op.method} />{' '}
            <code className="font-mono [overflow-wrap:anywhere]">{op.path}</code>
          </h3>
          <p>{text(`summaries.${op.id}`, op.summary)}</p>
        </div>

        <dl className="grid gap-x-3 gap-y-2 text-sm sm:grid-cols-[auto_minmax(0,1fr)] sm:items-baseline">
          {op.ownServer ? (
            <>
              <dt className="font-semibold text-ink-muted">{t('op.baseUrl')}</dt>
              <dd className="min-w-0" data-testid="operation-server">
                <Code>{op.server}</Code>
              </dd>
            </>
          ) : null}
          <dt className="font-semibold text-ink-muted">
            {op.items.some(isPermissionItem) || op.items.length === 0 ? t('op.items') : t('op.scopes')}
            {op.items.length > 1 ? t('op.anyOf') : null}
          </dt>
          <dd className="flex flex-wrap gap-1.5">
            {op.items.length === 0 ? <span>{t('op.public')}</span> : null}
            {op.items.map((item) => (
              <span key={item} className="inline-flex items-center gap-1.5 rounded-md border border-line bg-canvas px-2 py-0.5">
                <Code className="bg-transparent px-0">{item}</Code>
                {isPermissionItem(item) ? <span>{tPortal(`items.${item}.name`)}</span> : t.has(`scopeNames.${item}`) ? <span>{t(`scopeNames.${item}`)}</span> : null}
              </span>
            ))}
          </dd>
        </dl>

        {op.parameters.length > 0 ? (
          <div className="space-y-2">
            <h4 className="font-bold">{t('op.parameters')}</h4>
            <FieldList
              testId="parameters"
              fields={op.parameters.map((p) => ({
                name: p.name,
                depth: 0,
                type: `${p.type} · ${text(`op.in.${p.in}`, p.in)}`,
                required: p.required,
                constraints: p.constraints,
                text: text(`params.${p.name}`, p.description),
              }))}
            />
          </div>
        ) : null}

        {op.requestBody ? (
          <div className="space-y-2">
            <h4 className="font-bold">
              {t('op.requestBody')} <span className="font-mono text-sm font-normal text-ink-muted">{op.requestBody.mediaType}</span>
            </h4>
            {op.requestBody.closed ? <p className="text-sm text-ink-muted">{t('op.closed')}</p> : null}
            <FieldList testId="request-fields" fields={described(op.requestBody.fields)} />
          </div>
        ) : null}

        {op.success ? (
          <div className="space-y-2">
            <h4 className="font-bold">
              {t('op.response')}{' '}
              <span className="font-mono text-sm font-normal text-ink-muted">
                {op.success.status} {op.success.mediaType}
              </span>
            </h4>
            {op.success.headers.map((h) => (
              <p key={h.name} className="text-sm">
                <Code>{h.name}</Code> {text(`headers.${h.name}`, h.description)}
              </p>
            ))}
            <FieldList testId="response-fields" fields={described(op.success.fields)} />
          </div>
        ) : null}

        <div className="space-y-2">
          <h4 className="font-bold">{t('op.errors')}</h4>
          <ul className="space-y-1.5 text-sm" data-testid="error-statuses">
            {op.errors.map((e) => (
              <li key={e.status} className="flex gap-3" data-status={e.status}>
                <span className="w-10 shrink-0 font-mono font-bold tabular">{e.status}</span>
                <span className="min-w-0">
                  <span className="font-semibold">{text(`statuses.${e.status}`, '')}</span>
                  {' — '}
                  {statusDetail(e.status, e.description)}
                  {e.headers.length > 0 ? (
                    <>
                      {' '}
                      {e.headers.map((h) => (
                        <Code key={h.name}>{h.name}</Code>
                      ))}
                    </>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </div>

        <div className="grid gap-4">
          <CodeBlock caption={t('op.exampleRequest')} code={curlOf(doc, op)} />
          {op.success ? (
            <CodeBlock
              caption={t('op.exampleResponse')}
              code={`HTTP/1.1 ${op.success.status} ${STATUS_TEXT[op.success.status] ?? ''}${op.success.mediaType ? `\nContent-Type: ${op.success.mediaType}\n\n${json(op.success.example)}` : ''}`}
            />
          ) : null}
        </div>
      </Card>
    </section>
  );
}
