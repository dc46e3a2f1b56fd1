import type { InputHTMLAttributes } from 'react';

/** A labelled input with its hint and error wired up for assistive technology. */
export function Field({ id, label, hint, error, className = '', ...input }: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; hint?: string; error?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-ink-muted">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block min-h-12 w-full rounded-lg border bg-surface px-3 text-base ${error ? 'border-critical' : 'border-line-strong'} focus:border-primary`}
        {...input}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm font-semibold text-critical">
          {error}
        </p>
      ) : null}
    </div>
  );
}
