import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';

export default async function LinkNotFound() {
  const t = await getTranslations('errors');
  return (
    <Card className="mx-auto max-w-xl space-y-3">
      <h1 className="text-2xl font-bold">{t('linkNotFoundTitle')}</h1>
      <p className="text-ink-muted">{t('linkNotFoundBody')}</p>
      <Link href="/" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
        {t('backHome')}
      </Link>
    </Card>
  );
}
