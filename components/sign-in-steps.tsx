import { getTranslations } from 'next-intl/server';
import { StepIndicator } from '@/components/step-indicator';

/**
 * The sign-in steps. On the way to a provider's consent screen they are the linking steps
 * (ログイン → 本人確認 → 同意, DESIGN: consent screens), so the customer sees where signing in leads.
 */
export async function SignInSteps({ next, current }: { next: string; current: 0 | 1 }) {
  const t = await getTranslations();
  if (next.startsWith('/consent/')) {
    return <StepIndicator label={t('consent.steps')} steps={[t('consent.stepLogin'), t('consent.stepOtp'), t('consent.stepConsent')]} current={current} />;
  }
  return <StepIndicator label={t('login.steps')} steps={[t('login.stepPassword'), t('login.stepOtp')]} current={current} />;
}
