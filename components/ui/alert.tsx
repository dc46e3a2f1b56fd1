import type { ReactNode } from 'react';
import { AlertTriangleIcon, CheckCircleIcon, InfoIcon } from './icons';

type Tone = 'info' | 'success' | 'warning' | 'critical';

const tones: Record<Tone, string> = {
  info: 'border-primary/30 bg-primary-soft text-primary-strong',
  success: 'border-positive/30 bg-positive-soft text-positive',
  warning: 'border-warning/30 bg-warning-soft text-warning',
  critical: 'border-critical/30 bg-critical-soft text-critical',
};

const icons: Record<Tone, (p: { className?: string }) => ReactNode> = {
  info: InfoIcon,
  success: CheckCircleIcon,
  warning: AlertTriangleIcon,
  critical: AlertTriangleIcon,
};

/** A message with an icon and words (never colour alone). `live` makes screen readers announce it. */
export function Alert({ tone = 'info', title, children, live, id }: { tone?: Tone; title?: ReactNode; children?: ReactNode; live?: 'polite' | 'assertive'; id?: string }) {
  const Icon = icons[tone];
  return (
    <div
      id={id}
      role={live === 'assertive' ? 'alert' : live === 'polite' ? 'status' : undefined}
      className={`flex gap-3 rounded-lg border px-4 py-3 text-sm leading-relaxed ${tones[tone]}`}
    >
      <Icon className="mt-0.5 shrink-0" />
      <div className="min-w-0 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}
