/** ログイン → 本人確認 → … : where the customer is in a multi-step flow. */
export function StepIndicator({ label, steps, current }: { label: string; steps: string[]; current: number }) {
  return (
    <nav aria-label={label}>
      <ol className="flex items-center gap-2 text-sm">
        {steps.map((step, index) => {
          const state = index < current ? 'done' : index === current ? 'current' : 'todo';
          return (
            <li key={step} className="flex items-center gap-2" aria-current={state === 'current' ? 'step' : undefined}>
              <span
                className={`grid size-7 place-items-center rounded-full text-xs font-bold ${
                  state === 'todo' ? 'border border-line-strong text-ink-muted' : 'bg-primary text-white'
                }`}
                aria-hidden="true"
              >
                {index < current ? '✓' : index + 1}
              </span>
              <span className={state === 'current' ? 'font-bold' : 'text-ink-muted'}>{step}</span>
              {index < steps.length - 1 ? <span aria-hidden="true" className="mx-1 h-px w-6 bg-line-strong" /> : null}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
