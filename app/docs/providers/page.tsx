import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { BreakablePath, Code, CodeBlock } from '@/components/api-docs/code-block';
import { authorizationServer, connectExamples, grantExamples, problemExample, signalExamples } from '@/components/api-docs/connect-examples';
import { FieldList } from '@/components/api-docs/field-list';
import { fieldsOf, json, operationsOf, type JsonSchema, type OpenApiDoc } from '@/components/api-docs/openapi-model';
import { OperationSection } from '@/components/api-docs/operation-section';
import { buttonClass } from '@/components/ui/button';
import { Card, Section } from '@/components/ui/card';
import demoRegistrationB from '@/examples/demo-provider/registration-b.json';
import demoRegistration from '@/examples/demo-provider/registration.json';
import { openApiDocument } from '@/lib/api/openapi';
import { PROBLEM_CODES, PROBLEMS, type ProblemCode } from '@/lib/api/problems';
import { DEMO_USERS } from '@/sandbox/demo-users';
import { PERMISSION_ITEMS, PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { env, isSandbox } from '@/lib/env';
import { registrationSchema } from '@/lib/providers/registration';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('ApiDocs');
  return { title: t('metaTitle') };
}

/** The origin providers reach this server at: PUBLIC_ORIGIN, or (sandbox) the request's own. */
async function publicOrigin(): Promise<string> {
  if (env.PUBLIC_ORIGIN) return new URL(env.PUBLIC_ORIGIN).origin;
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}

const SECTION_IDS = ['overview', 'connect', 'grants', 'signals', 'registration', 'sandbox', 'checks', 'errors', 'idempotency', 'operations'] as const;
const CHECKS = [
  { step: 'maintenance', result: '503 · Retry-After' },
  { step: 'scheme', result: '401 invalid_token' },
  { step: 'proof', result: '401 invalid_dpop_proof' },
  { step: 'replay', result: '401 invalid_dpop_proof' },
  { step: 'token', result: '401 invalid_token' },
  { step: 'rateLimit', result: '429 · Retry-After' },
  { step: 'provider', result: '401 invalid_token' },
  { step: 'link', result: '401 invalid_token' },
  { step: 'item', result: '403 insufficient_scope' },
  { step: 'account', result: '404' },
  { step: 'post', result: '400 · 413 · 422 · 409' },
] as const;
// The error table: one row per refusal of the API's catalogue, the business refusals of an
// instruction (all 422) as one row.
type ErrorRow = { status: string; code: ProblemCode | 'business'; challenge?: string; header?: string };
const ERRORS: ErrorRow[] = PROBLEM_CODES.flatMap((code): ErrorRow[] => {
  const entry: { status: number; challenge?: string; header?: string; business?: boolean } = PROBLEMS[code];
  if (entry.business) return code === PROBLEM_CODES.find((c) => 'business' in PROBLEMS[c]) ? [{ status: String(entry.status), code: 'business' }] : [];
  return [{ status: String(entry.status), code, challenge: entry.challenge, header: entry.header }];
});

/**
 * The provider API reference (public, no sign-in): how to connect, the checks and errors, and
 * every operation, rendered from the same OpenAPI document as /api/v1/openapi.json.
 */
export default async function ProviderDocsPage() {
  const [t, tPortal, locale, origin] = await Promise.all([getTranslations('ApiDocs'), getTranslations(), getLocale(), publicOrigin()]);
  const doc = openApiDocument(origin) as unknown as OpenApiDoc;
  const server = doc.servers?.[0]?.url ?? `${origin}/api/v1`;
  const operations = operationsOf(doc);
  const as = authorizationServer(doc, origin);
  const examples = connectExamples(as, server, 'balances statements');
  const grantExample = grantExamples(as, server);
  const signalExample = signalExamples(as);
  const registrationFields = fieldsOf(doc, z.toJSONSchema(registrationSchema(isSandbox), { io: 'input' }) as JsonSchema);
  const code = (chunks: ReactNode) => <Code>{chunks}</Code>;
  const rich = (key: string) => t.rich(key, { code });
  const sections = SECTION_IDS.filter((id) => id !== 'sandbox' || isSandbox);
  const demoProviders = [demoRegistration, demoRegistrationB];

  return (
    <div className="space-y-8">
      <header className="space-y-4 [word-break:auto-phrase]">
        <p className="text-sm font-semibold text-primary">{t('eyebrow')}</p>
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-ink-muted">{t('lead')}</p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <a href="/api/v1/openapi.json" download="renkei-openapi.json" className={buttonClass('primary')} data-testid="openapi-download">
            {t('download')}
          </a>
          <p className="text-sm text-ink-muted">{t('downloadNote')}</p>
        </div>
      </header>

      <div className="lg:grid lg:grid-cols-[13rem_minmax(0,1fr)] lg:gap-10">
        <nav
          aria-labelledby="toc-title"
          className="mb-8 rounded-[var(--radius-card)] border border-line bg-surface p-4 text-sm lg:sticky lg:top-4 lg:mb-0 lg:max-h-[calc(100dvh-2rem)] lg:self-start lg:overflow-y-auto lg:border-0 lg:bg-transparent lg:p-0"
        >
          <h2 id="toc-title" className="mb-2 font-bold">
            {t('toc')}
          </h2>
          <ol className="space-y-0.5">
            {sections.map((id) => (
              <li key={id}>
                <a href={`#${id}`} className="inline-flex min-h-9 items-center text-primary underline-offset-4 hover:underline">
                  {t(`sections.${id}`)}
                </a>
                {id === 'operations' ? (
                  <ol className="space-y-0.5 border-l border-line pl-3">
                    {operations.map((op) => (
                      <li key={op.id}>
                        <a href={`#${op.anchor}`} className="flex min-h-9 items-center gap-2 text-primary underline-offset-4 hover:underline">
                          <span className="w-9 shrink-0 font-mono text-xs font-bold text-ink-muted">{op.method}</span>
                          <span className="font-mono text-xs">
                            <BreakablePath value={op.path} />
                          </span>
                        </a>
                      </li>
                    ))}
                  </ol>
                ) : null}
              </li>
            ))}
          </ol>
        </nav>

        <div className="min-w-0 space-y-12">
          <Section id="overview" title={t('sections.overview')} className="scroll-mt-4">
            <Card>
              <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[10rem_minmax(0,1fr)]">
                <dt className="font-semibold text-ink-muted">{t('facts.baseUrl')}</dt>
                <dd>
                  <Code>{server}</Code>
                </dd>
                <dt className="font-semibold text-ink-muted">{t('facts.version')}</dt>
                <dd className="tabular">{doc.info.version}</dd>
                <dt className="font-semibold text-ink-muted">{t('facts.format')}</dt>
                <dd>{t('facts.formatValue')}</dd>
                <dt className="font-semibold text-ink-muted">{t('facts.auth')}</dt>
                <dd>{t('facts.authValue')}</dd>
                <dt className="font-semibold text-ink-muted">{t('facts.money')}</dt>
                <dd>{t('facts.moneyValue')}</dd>
              </dl>
            </Card>
          </Section>

          <Section id="connect" title={t('sections.connect')} className="scroll-mt-4">
            <Card className="space-y-8">
              <div className="space-y-3">
                <h3 className="text-lg font-bold">{t('sections.endpoints')}</h3>
                <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_minmax(0,1fr)]" data-testid="as-endpoints">
                  {(['issuer', 'discoveryOidc', 'discoveryRfc8414', 'par', 'authorize', 'token', 'revoke', 'introspect', 'jwks', 'grants', 'ssfConfiguration'] as const).map((key) => (
                    <div key={key} className="contents">
                      <dt className="font-semibold text-ink-muted">{t(`endpoints.${key}`)}</dt>
                      <dd className="mb-2 sm:mb-0">
                        <Code>
                          <BreakablePath value={as[key]} />
                        </Code>
                      </dd>
                    </div>
                  ))}
                </dl>
              </div>

              <div className="space-y-3">
                <h3 className="text-lg font-bold">{t('sections.profile')}</h3>
                <ul className="list-disc space-y-1.5 pl-5">
                  {(['par', 'pkce', 'clientAuth', 'dpop', 'redirect', 'iss', 'lifetimes', 'secrets'] as const).map((key) => (
                    <li key={key}>{rich(`profile.${key}`)}</li>
                  ))}
                </ul>
              </div>

              <div className="space-y-4">
                <h3 className="text-lg font-bold">{t('sections.flow')}</h3>
                <ol className="space-y-6">
                  {(
                    [
                      ['par', [[t('flow.clientAssertion'), examples.clientAssertion], [t('flow.request'), examples.par], ['200 OK', examples.parResponse]]],
                      ['authorize', [[t('flow.authorizeUrl'), examples.authorize]]],
                      ['callback', [[t('flow.callbackUrl'), examples.callback]]],
                      ['token', [[t('flow.request'), examples.token], ['200 OK', examples.tokenResponse]]],
                      ['call', [[t('flow.dpopHeader'), examples.dpopHeader], [t('flow.dpopPayload'), examples.dpopPayload]]],
                      ['refresh', [[t('flow.refreshRequest'), examples.refresh]]],
                    ] as const
                  ).map(([step, blocks], index) => (
                    <li key={step} className="grid grid-cols-[2rem_minmax(0,1fr)] gap-x-3">
                      <span className="grid size-8 place-items-center rounded-full bg-primary font-bold text-white tabular" aria-hidden="true">
                        {index + 1}
                      </span>
                      <div className="min-w-0 space-y-3">
                        <h4 className="pt-0.5 font-bold">
                          <span className="sr-only">{index + 1}. </span>
                          {t(`flow.${step}.title`)}
                        </h4>
                        <p>{rich(`flow.${step}.body`)}</p>
                        {blocks.map(([caption, block]) => (
                          <CodeBlock key={caption} caption={caption} code={block} />
                        ))}
                      </div>
                    </li>
                  ))}
                </ol>
              </div>

              <div className="space-y-3">
                <h3 className="text-lg font-bold">{t('sections.items')}</h3>
                <p>{t('items.lead')}</p>
                <ul className="divide-y divide-line rounded-lg border border-line" data-testid="scopes">
                  {PERMISSION_ITEM_IDS.map((item) => {
                    const [art, para, num] = PERMISSION_ITEMS[item].article.match(/\d+/g) ?? [];
                    const using = operations.filter((op) => op.items.includes(item));
                    return (
                      <li key={item} className="grid gap-x-4 gap-y-1 px-4 py-3 sm:grid-cols-[minmax(0,15rem)_minmax(0,1fr)]">
                        <div>
                          <Code className="font-semibold">{item}</Code>
                          <p className="font-semibold">{tPortal(`items.${item}.name`)}</p>
                          <p className="text-sm text-ink-muted">
                            {tPortal(`groups.${PERMISSION_ITEMS[item].group}`)} · {t('items.articleRef', { art: art ?? '', para: para ?? '', num: num ?? '' })}
                          </p>
                        </div>
                        <div className="text-sm">
                          <p className="sr-only">{t('items.operations')}</p>
                          <ul className="space-y-1">
                            {using.map((op) => (
                              <li key={op.id}>
                                <a href={`#${op.anchor}`} className="inline-flex min-h-8 items-center gap-2 text-primary underline underline-offset-4">
                                  <span className="font-mono text-xs font-bold">{op.method}</span>
                                  <span className="font-mono">
                                    <BreakablePath value={op.path} />
                                  </span>
                                </a>
                              </li>
                            ))}
                          </ul>
                        </div>
                      </li>
                    );
                  })}
                </ul>
              </div>
            </Card>
          </Section>

          <Section id="grants" title={t('sections.grants')} lead={rich('grants.lead')} className="scroll-mt-4">
            <Card className="space-y-6" data-testid="grant-management">
              <ul className="list-disc space-y-1.5 pl-5">
                {(['id', 'create', 'update', 'replace', 'token', 'query', 'revoke', 'errors'] as const).map((key) => (
                  <li key={key}>{rich(`grants.points.${key}`)}</li>
                ))}
              </ul>
              <CodeBlock caption={t('grants.updateCaption')} code={grantExample.update} />
              <CodeBlock caption={t('grants.tokenCaption')} code={grantExample.managementToken} />
              <CodeBlock caption={t('grants.queryCaption')} code={grantExample.query} />
              <CodeBlock caption="200 OK" code={grantExample.queryResponse} />
              <CodeBlock caption={t('grants.revokeCaption')} code={grantExample.revoke} />
            </Card>
          </Section>

          <Section id="signals" title={t('sections.signals')} lead={rich('signals.lead')} className="scroll-mt-4">
            <Card className="space-y-6" data-testid="shared-signals">
              <ul className="list-disc space-y-1.5 pl-5">
                {(['stream', 'push', 'poll', 'status', 'verify', 'set'] as const).map((key) => (
                  <li key={key}>{rich(`signals.points.${key}`)}</li>
                ))}
              </ul>
              <CodeBlock caption={t('signals.tokenCaption')} code={signalExample.token} />
              <CodeBlock caption={t('signals.createCaption')} code={signalExample.create} />
              <CodeBlock caption={t('signals.pollCaption')} code={signalExample.poll} />
              <CodeBlock caption="200 OK" code={signalExample.pollResponse} />
            </Card>
          </Section>

          <Section id="registration" title={t('sections.registration')} lead={rich('registration.lead')} className="scroll-mt-4">
            <Card className="space-y-5">
              <CodeBlock caption={t('registration.command')} code="npm run provider:register -- path/to/registration.json" />
              <p className="text-sm text-ink-muted">{t('registration.embedded')}</p>
              <div className="space-y-2">
                <h3 className="font-bold">{t('registration.fieldsTitle')}</h3>
                <FieldList
                  testId="registration-fields"
                  fields={registrationFields.map((f) => {
                    const key = `registration.fields.${f.name.replace(/\[\]/g, '').replace(/\./g, '__')}`;
                    return { ...f, text: t.has(key) ? t(key) : f.description };
                  })}
                />
              </div>
              <CodeBlock caption={t('registration.exampleTitle')} code={json(demoRegistration)} />
            </Card>
          </Section>

          {isSandbox ? (
            <Section id="sandbox" title={t('sections.sandbox')} lead={t('sandbox.lead')} className="scroll-mt-4">
              <Card className="space-y-6">
                <p>{rich('sandbox.redirect')}</p>
                <div className="space-y-2">
                  <h3 className="font-bold">{t('sandbox.customersTitle')}</h3>
                  <ul className="grid gap-3" data-testid="demo-customers">
                    {DEMO_USERS.filter((u) => u.registered).map((u) => (
                      <li key={u.logonId} className="rounded-lg border border-line p-4">
                        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[14rem_minmax(0,1fr)]">
                          <dt className="text-ink-muted">{t('sandbox.customerName')}</dt>
                          <dd>{locale === 'en' ? u.nameEn : u.nameJa}</dd>
                          <dt className="text-ink-muted">{t('sandbox.logonId')}</dt>
                          <dd>
                            <Code>{u.logonId}</Code>
                          </dd>
                          <dt className="text-ink-muted">{t('sandbox.password')}</dt>
                          <dd>
                            <Code>{u.password}</Code>
                          </dd>
                          <dt className="text-ink-muted">{t('sandbox.totp')}</dt>
                          <dd>
                            <Code>{u.totpSecret}</Code>
                          </dd>
                        </dl>
                      </li>
                    ))}
                  </ul>
                  <p className="text-sm text-ink-muted">{t('sandbox.totpNote')}</p>
                </div>
                <div className="space-y-2">
                  <h3 className="font-bold">{t('sandbox.providersTitle')}</h3>
                  <ul className="grid gap-3 sm:grid-cols-2" data-testid="demo-providers">
                    {demoProviders.map((p) => (
                      <li key={p.renkei.client_id} className="rounded-lg border border-line p-4">
                        <dl className="space-y-1 text-sm">
                          <dt className="text-ink-muted">{t('sandbox.clientId')}</dt>
                          <dd>
                            <Code>{p.renkei.client_id}</Code>
                          </dd>
                          <dt className="text-ink-muted">{t('sandbox.redirectUris')}</dt>
                          <dd>
                            {p.redirect_uris.map((uri) => (
                              <Code key={uri}>{uri}</Code>
                            ))}
                          </dd>
                          <dt className="text-ink-muted">{t('sandbox.permittedItems')}</dt>
                          <dd className="flex flex-wrap gap-1">
                            {p.renkei.permitted_items.map((item) => (
                              <Code key={item}>{item}</Code>
                            ))}
                          </dd>
                        </dl>
                      </li>
                    ))}
                  </ul>
                  <p className="text-sm">{rich('sandbox.keyNote')}</p>
                </div>
                <CodeBlock caption={t('sandbox.demoApp')} code="npm run demo:provider" />
              </Card>
            </Section>
          ) : null}

          <Section id="checks" title={t('sections.checks')} lead={t('checks.lead')} className="scroll-mt-4">
            <Card className="space-y-5">
              <ol className="space-y-4" data-testid="checks">
                {CHECKS.map(({ step, result }, index) => (
                  <li key={step} className="grid grid-cols-[2rem_minmax(0,1fr)] gap-x-3">
                    <span className="grid size-8 place-items-center rounded-full border-2 border-primary font-bold text-primary tabular" aria-hidden="true">
                      {index + 1}
                    </span>
                    <div className="min-w-0 space-y-1">
                      <h3 className="pt-0.5 font-bold">
                        <span className="sr-only">{index + 1}. </span>
                        {t(`checks.${step}.title`)}
                      </h3>
                      <p>{rich(`checks.${step}.body`)}</p>
                      <p className="text-sm">
                        <span className="text-ink-muted">{t('checks.result')}：</span>
                        <Code className="font-semibold">{result}</Code>
                      </p>
                    </div>
                  </li>
                ))}
              </ol>
            </Card>
          </Section>

          <Section id="errors" title={t('sections.errors')} lead={rich('errors.lead')} className="scroll-mt-4">
            <Card flush>
              <ul className="divide-y divide-line" data-testid="errors">
                {ERRORS.map((e) => (
                  <li key={e.code} className="grid gap-x-4 gap-y-1 px-5 py-3 sm:grid-cols-[3rem_minmax(0,14rem)_minmax(0,1fr)]" data-code={e.code}>
                    <span className="font-mono font-bold tabular">{e.status}</span>
                    <div className="min-w-0 space-y-1">
                      <Code className="font-semibold">{e.code === 'business' ? '…' : e.code}</Code>
                      {e.challenge ? (
                        <p className="font-mono text-xs text-ink-muted [overflow-wrap:anywhere]">WWW-Authenticate: DPoP error=&quot;{e.challenge}&quot;</p>
                      ) : null}
                      {e.header ? <p className="font-mono text-xs text-ink-muted">{e.header}</p> : null}
                    </div>
                    <dl className="min-w-0 space-y-1 text-sm">
                      <div>
                        <dt className="sr-only">{t('errors.when')}</dt>
                        <dd>{rich(`errors.rows.${e.code}.when`)}</dd>
                      </div>
                      <div>
                        <dt className="sr-only">{t('errors.action')}</dt>
                        <dd className="text-ink-muted">→ {rich(`errors.rows.${e.code}.action`)}</dd>
                      </div>
                    </dl>
                  </li>
                ))}
              </ul>
            </Card>
            <CodeBlock caption={t('errors.exampleTitle')} code={problemExample()} />
          </Section>

          <Section id="idempotency" title={t('sections.idempotency')} className="scroll-mt-4">
            <Card>
              <ul className="list-disc space-y-1.5 pl-5">
                {(['required', 'replay', 'conflict', 'inFlight', 'stored', 'unknown'] as const).map((key) => (
                  <li key={key}>{rich(`idempotency.${key}`)}</li>
                ))}
              </ul>
            </Card>
          </Section>

          <section id="operations" aria-labelledby="operations-title" className="scroll-mt-4 space-y-6">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="operations-title" className="text-lg font-bold text-ink sm:text-xl">
                {t('sections.operations')}
              </h2>
              <p className="text-sm text-ink-muted">
                <Code>{server}</Code>
              </p>
            </div>
            {operations.map((op) => (
              <OperationSection key={op.id} op={op} doc={doc} />
            ))}
          </section>
        </div>
      </div>
    </div>
  );
}
