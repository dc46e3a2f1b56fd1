import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { Card, Section } from '@/components/ui/card';
import { ShieldIcon } from '@/components/ui/icons';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('help');
  return { title: t('title') };
}

const TOPICS = ['what', 'link', 'change', 'expiry', 'bank'] as const;

/** Help for customers (SPEC Art. 2.3: keep provider credentials safe). Public: no sign-in needed. */
export default async function HelpPage() {
  const t = await getTranslations('help');
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="text-ink-muted">{t('lead')}</p>
      </div>
      <Alert tone="warning" title={t('credentialsTitle')}>
        <p>{t('credentialsBody')}</p>
      </Alert>
      {TOPICS.map((topic) => (
        <Section key={topic} id={`help-${topic}`} title={t(`${topic}.title`)}>
          <Card className="space-y-3 leading-relaxed">
            <p>{t(`${topic}.body`)}</p>
          </Card>
        </Section>
      ))}
      <p className="flex gap-2 text-sm text-ink-muted">
        <ShieldIcon className="mt-0.5 shrink-0" />
        <span>
          {t('never')}{' '}
          <Link href="/terms" className="font-semibold text-primary underline underline-offset-4">
            {t('termsLink')}
          </Link>
        </span>
      </p>
    </div>
  );
}
