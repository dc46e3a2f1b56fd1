'use client';

import { useTranslations } from 'next-intl';
import { Card } from '@/components/ui/card';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('errors');
  return (
    <Card className="mx-auto max-w-xl space-y-3" role="alert">
      <h1 className="text-2xl font-bold">{t('errorTitle')}</h1>
      <p className="text-ink-muted">{t('errorBody')}</p>
      {error.digest ? <p className="tabular text-sm text-ink-muted">ID: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="min-h-11 rounded-lg bg-primary px-4 font-semibold text-white hover:bg-primary-strong">
        {t('retry')}
      </button>
    </Card>
  );
}
