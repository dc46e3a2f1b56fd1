'use client';

import { useTranslations } from 'next-intl';
import { buttonClass } from '@/components/ui/button';

/** Opens the browser's print dialog (save as PDF there); Ctrl+P / ⌘P does the same without it. */
export function PrintButton() {
  const t = useTranslations('receipts');
  return (
    <button type="button" onClick={() => window.print()} className={buttonClass('secondary', 'print:hidden')}>
      {t('print')}
    </button>
  );
}
