import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

// Textarea, select and radio group in the same shape as components/ui/field (label, hint, error
// wired to the control for assistive technology). Only these forms use them.

const control = 'block w-full rounded-lg border bg-surface px-3 text-base focus:border-primary';

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p id={`${id}-hint`} className="text-sm text-ink-muted">
      {children}
    </p>
  ) : null;
}

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={`${id}-error`} className="text-sm font-semibold text-critical">
      {error}
    </p>
  ) : null;
}

export function TextAreaField({
  id,
  label,
  hint,
  error,
  className = '',
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string; label: string; hint?: ReactNode; error?: string }) {
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${control} py-2 leading-relaxed ${error ? 'border-critical' : 'border-line-strong'}`}
        {...textarea}
      />
      <ErrorText id={id} error={error} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  children,
  className = '',
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { id: string; label: string; hint?: ReactNode; error?: string }) {
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${control} min-h-12 ${error ? 'border-critical' : 'border-line-strong'}`}
        {...select}
      >
        {children}
      </select>
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** One choice among a few, each with its full wording visible (e.g. Art. 7's reasons). */
export function RadioGroup({
  id,
  name,
  legend,
  options,
  defaultValue,
  error,
  required,
}: {
  id: string;
  name: string;
  legend: string;
  options: { value: string; label: ReactNode }[];
  defaultValue?: string;
  error?: string;
  required?: boolean;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="font-semibold">{legend}</legend>
      <div className="space-y-2">
        {options.map((option) => (
          <label
            key={option.value}
            htmlFor={`${id}-${option.value}`}
            className={`flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border bg-surface px-3 py-2 has-[:checked]:border-primary has-[:checked]:bg-primary-soft ${error ? 'border-critical' : 'border-line'}`}
          >
            <input
              id={`${id}-${option.value}`}
              type="radio"
              name={name}
              value={option.value}
              defaultChecked={defaultValue === option.value}
              required={required}
              className="mt-1.5 size-4 shrink-0 accent-[var(--color-primary)]"
            />
            <span className="text-sm leading-relaxed">{option.label}</span>
          </label>
        ))}
      </div>
      <ErrorText id={id} error={error} />
    </fieldset>
  );
}
