import type { HTMLAttributes, ReactNode } from 'react';

/** A white card. `flush` drops the padding for lists whose rows carry their own. */
export function Card({ className = '', flush = false, ...props }: HTMLAttributes<HTMLDivElement> & { flush?: boolean }) {
  return <div className={`rounded-[var(--radius-card)] border border-line bg-surface shadow-[0_1px_2px_rgb(16_24_40/0.04)] ${flush ? '' : 'p-5 sm:p-6'} ${className}`} {...props} />;
}

/** A titled section of a page: an <h2> and its content, linked by aria-labelledby. */
export function Section({ id, title, lead, children, className = '' }: { id: string; title: ReactNode; lead?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className={`space-y-4 ${className}`}>
      <div>
        <h2 id={`${id}-title`} className="text-lg font-bold text-ink sm:text-xl">
          {title}
        </h2>
        {lead ? <p className="mt-1 text-sm text-ink-muted">{lead}</p> : null}
      </div>
      {children}
    </section>
  );
}
