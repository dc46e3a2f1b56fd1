import type { DisplayStatus } from '@/lib/domain/link-status';
import { AlertTriangleIcon, CheckCircleIcon, ClockIcon, MinusCircleIcon, PauseCircleIcon, StopCircleIcon } from './ui/icons';

const styles: Record<DisplayStatus, { className: string; Icon: typeof CheckCircleIcon }> = {
  active: { className: 'bg-positive-soft text-positive border-positive/30', Icon: CheckCircleIcon },
  expiring_soon: { className: 'bg-warning-soft text-warning border-warning/30', Icon: ClockIcon },
  expired: { className: 'bg-warning-soft text-warning border-warning/30', Icon: AlertTriangleIcon },
  suspended: { className: 'bg-critical-soft text-critical border-critical/30', Icon: PauseCircleIcon },
  revoked: { className: 'bg-neutral-soft text-neutral border-neutral/30', Icon: StopCircleIcon },
  terminated: { className: 'bg-neutral-soft text-neutral border-neutral/30', Icon: MinusCircleIcon },
};

/** Status as icon + words; the colour only repeats what the words say. */
export function StatusBadge({ status, label }: { status: DisplayStatus; label: string }) {
  const { className, Icon } = styles[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-sm font-semibold ${className}`}>
      <Icon width={16} height={16} />
      {label}
    </span>
  );
}
