import { getTranslations } from 'next-intl/server';
import { CheckCircleIcon, MinusCircleIcon, PauseCircleIcon } from '@/components/ui/icons';

const styles = {
  active: { className: 'bg-positive-soft text-positive border-positive/30', Icon: CheckCircleIcon },
  suspended: { className: 'bg-critical-soft text-critical border-critical/30', Icon: PauseCircleIcon },
  terminated: { className: 'bg-neutral-soft text-neutral border-neutral/30', Icon: MinusCircleIcon },
} as const;

/** A provider's standing with the bank, as icon + words. */
export async function ProviderStatus({ status }: { status: 'active' | 'suspended' | 'terminated' }) {
  const t = await getTranslations('staff.providers.status');
  const { className, Icon } = styles[status];
  return (
    <span data-provider-status={status} className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-sm font-semibold whitespace-nowrap ${className}`}>
      <Icon width={16} height={16} />
      {t(status)}
    </span>
  );
}
