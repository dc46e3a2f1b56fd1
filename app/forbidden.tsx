import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';

/** 403: a session of the wrong kind (bank staff on a customer page or action, or the reverse). */
export default async function Forbidden() {
  const t = await getTranslations('errors');
  return (
    <Card className="mx-auto max-w-xl space-y-3">
      <h1 className="text-2xl font-bold">{t('forbiddenTitle')}</h1>
      <p className="text-ink-muted">{t('forbiddenBody')}</p>
      <Link href="/terms" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
        {t('backHome')}
      </Link>
    </Card>
  );
}
