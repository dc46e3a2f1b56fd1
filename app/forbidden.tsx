import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/lib/actions/sign-out';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** 403: a session of the wrong kind (bank staff on a customer page or action, or the reverse). */
export default async function Forbidden() {
  const t = await getTranslations();
  return (
    <Card className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">{t('errors.forbiddenTitle')}</h1>
      <p className="text-ink-muted">{t('errors.forbiddenBody')}</p>
      <form action={signOutAction}>
        <button type="submit" className={buttonClass('secondary')}>
          {t('nav.signOut')}
        </button>
      </form>
    </Card>
  );
}
