import { getTranslations } from 'next-intl/server';
import type { Constraint, Field } from './openapi-model';

export type DescribedField = Pick<Field, 'name' | 'depth' | 'type' | 'required' | 'constraints'> & { text?: string };

type T = Awaited<ReturnType<typeof getTranslations>>;

export function constraintText(t: T, c: Constraint): string {
  switch (c.kind) {
    case 'enum':
      return t('constraints.enum', { values: c.values.join(', ') });
    case 'format':
    case 'const':
    case 'pattern':
    case 'default':
      return t(`constraints.${c.kind}`, { value: c.value });
    default:
      return t(`constraints.${c.kind}`, { value: c.value.toLocaleString('en-US') });
  }
}

const INDENT = ['', 'ml-4 border-l-2 border-line pl-3', 'ml-8 border-l-2 border-line pl-3', 'ml-12 border-l-2 border-line pl-3'];

/** The fields of a body or the parameters of a call: name, type, required, constraints, meaning. */
export async function FieldList({ fields, testId }: { fields: DescribedField[]; testId?: string }) {
  const t = await getTranslations('ApiDocs');
  return (
    <ul className="divide-y divide-line rounded-lg border border-line" data-testid={testId}>
      {fields.map((f) => {
        const parent = f.name.slice(0, f.name.lastIndexOf('.') + 1);
        const leaf = f.name.slice(parent.length);
        return (
          <li key={f.name} className="px-3 py-2.5 sm:px-4" data-field={f.name}>
            <div className={`space-y-1 ${INDENT[Math.min(f.depth, INDENT.length - 1)]}`}>
              <p className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
                <code className="font-mono text-sm font-semibold [overflow-wrap:anywhere]">
                  {parent ? <span className="font-normal text-ink-muted">{parent}</span> : null}
                  {leaf}
                </code>
                <span className="font-mono text-xs text-ink-muted">{f.type}</span>
                {f.required ? (
                  <span className="rounded bg-primary-soft px-1.5 text-xs font-semibold text-primary-strong">{t('op.required')}</span>
                ) : (
                  <span className="text-xs text-ink-muted">{t('op.optional')}</span>
                )}
              </p>
              {f.text ? <p className="text-sm">{f.text}</p> : null}
              {f.constraints.length > 0 ? (
                <ul className="flex flex-wrap gap-1.5">
                  {f.constraints.map((c) => (
                    <li key={`${c.kind}-${'value' in c ? String(c.value) : ''}`} className="rounded border border-line bg-canvas px-1.5 font-mono text-xs text-ink-muted [overflow-wrap:anywhere]">
                      {constraintText(t, c)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
